package io.candles.query.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Series;

/**
 * The {@code candles} table in QuestDB, reached over its PostgreSQL wire protocol with Quarkus' datasource.
 *
 * <p>A WAL table partitioned by day; {@code DEDUP UPSERT KEYS(ts, ticker, period)} makes a candle written twice (a
 * redelivery after a crash between the insert and the Kafka commit) one row. QuestDB keeps timestamps in UTC without a
 * zone, so they cross JDBC as {@link LocalDateTime} in UTC. WAL tables apply what they took asynchronously: a read may
 * miss the last milliseconds of writes, which is why reads of recent candles go to the cache.
 */
@ApplicationScoped
public class CandleStore {

    static final String TABLE = "candles";
    private static final String COLUMNS = "ticker, period, ts, open, high, low, close";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (ticker SYMBOL, period SYMBOL, "
            + "ts TIMESTAMP, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE) TIMESTAMP(ts) PARTITION BY DAY WAL "
            + "DEDUP UPSERT KEYS(ts, ticker, period)";

    private final DataSource dataSource;

    @Inject
    public CandleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the table if it is not there yet. */
    public void ensureTable() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(CREATE);
        }
    }

    /**
     * Waits until QuestDB has applied every transaction the table took, so that what is read next is all there is.
     *
     * @return false if the timeout came first
     * @throws IllegalStateException when QuestDB has suspended the table (it stops applying until an operator acts)
     */
    public boolean awaitApplied(Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT writerTxn, sequencerTxn, suspended FROM wal_tables() WHERE name = ?")) {
            query.setString(1, TABLE);
            while (true) {
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return true; // not a WAL table yet: nothing pending
                    }
                    if (row.getBoolean(3)) {
                        throw new IllegalStateException("QuestDB suspended the WAL table " + TABLE
                                + "; see QuestDB's log and ALTER TABLE " + TABLE + " RESUME WAL");
                    }
                    if (row.getLong(1) >= row.getLong(2)) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50); // polling interval of QuestDB's apply progress; the deadline bounds the wait
            }
        }
    }

    /** Writes the candles in one transaction; QuestDB has taken them when this returns. */
    public void insert(List<Candle> candles) throws SQLException {
        if (candles.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Candle candle : candles) {
                    insert.setString(1, candle.ticker());
                    insert.setString(2, candle.period().label());
                    insert.setObject(3, utc(candle.ts()));
                    insert.setDouble(4, candle.open());
                    insert.setDouble(5, candle.high());
                    insert.setDouble(6, candle.low());
                    insert.setDouble(7, candle.close());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The newest stored ts of every series. */
    public Map<Series, Instant> newestPerSeries() throws SQLException {
        Map<Series, Instant> newest = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ticker, period, max(ts) FROM " + TABLE)) {
            while (rows.next()) {
                newest.put(new Series(rows.getString(1), CandlePeriod.parse(rows.getString(2))), instant(rows, 3));
            }
        }
        return newest;
    }

    /**
     * The newest {@code perSeries} candles of every series, each series oldest first, streamed row by row to
     * {@code each} (a cache of thousands of series must not be built as a list of candle objects first).
     */
    public void newestOfEverySeries(int perSeries, Consumer<Candle> each) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // the PostgreSQL driver streams rows (fetch size) only in a transaction
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM (SELECT "
                    + COLUMNS + ", row_number() OVER (PARTITION BY ticker, period ORDER BY ts DESC) AS newness FROM "
                    + TABLE + ") WHERE newness <= ? ORDER BY ticker, period, ts")) {
                query.setFetchSize(10_000);
                query.setInt(1, perSeries);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        each.accept(candle(rows));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** Candles of the series with {@code from <= ts < to}, oldest first, at most {@code limit}. */
    public List<Candle> oldestFrom(Series series, Instant from, Instant to, int limit) throws SQLException {
        return select(series, "ts >= ? AND ts < ? ORDER BY ts LIMIT ?", from, to, limit, false);
    }

    /** The newest {@code limit} candles of the series with {@code ts < to}, oldest first. */
    public List<Candle> newestBefore(Series series, Instant to, int limit) throws SQLException {
        return select(series, "ts < ? ORDER BY ts DESC LIMIT ?", null, to, limit, true);
    }

    /** The newest candle of every ticker for this period. */
    public List<Candle> latest(CandlePeriod period) throws SQLException {
        List<Candle> latest = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE period = ? LATEST ON ts PARTITION BY ticker")) {
            query.setString(1, period.label());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    latest.add(candle(rows));
                }
            }
        }
        return latest;
    }

    private List<Candle> select(Series series, String condition, Instant from, Instant to, int limit,
            boolean newestFirst) throws SQLException {
        List<Candle> candles = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE ticker = ? AND period = ? AND " + condition)) {
            int parameter = 1;
            query.setString(parameter++, series.ticker());
            query.setString(parameter++, series.period().label());
            if (from != null) {
                query.setObject(parameter++, utc(from));
            }
            query.setObject(parameter++, utc(to));
            query.setInt(parameter, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    candles.add(candle(rows));
                }
            }
        }
        if (newestFirst) {
            Collections.reverse(candles);
        }
        return candles;
    }

    private static Candle candle(ResultSet row) throws SQLException {
        return new Candle(row.getString(1), CandlePeriod.parse(row.getString(2)), row.getDouble(4), row.getDouble(5),
                row.getDouble(6), row.getDouble(7), instant(row, 3));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return row.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /** QuestDB's timestamps are UTC without a zone. Instant.MAX does not fit: callers pass what a query can hold. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

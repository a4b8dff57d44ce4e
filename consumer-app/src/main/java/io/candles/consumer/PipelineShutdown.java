package io.candles.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.CandlePublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

/**
 * SIGTERM, in order. ShutdownEvent observers run before the Kafka connector closes, so: stop intake (pause every
 * incoming channel), let candles in flight be accepted, write the sink's partial batches (and their marks), commit how
 * far each stage and the sink got; then the connector closes. Open windows are not
 * flushed: their records stay uncommitted and are read again after the restart.
 */
@ApplicationScoped
public class PipelineShutdown {

    private static final Logger LOG = Logger.getLogger(PipelineShutdown.class);

    private final ChannelRegistry channels;
    private final CandlePublisher publisher;
    private final ProgressCommits commits;
    private final CandleSink sink;
    private final CandlesConfig config;
    private final ProgressReport progress;

    @Inject
    PipelineShutdown(ChannelRegistry channels, CandlePublisher publisher, ProgressCommits commits, CandleSink sink,
            CandlesConfig config, ProgressReport progress) {
        this.channels = channels;
        this.publisher = publisher;
        this.commits = commits;
        this.sink = sink;
        this.config = config;
        this.progress = progress;
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        for (String channel : IncomingChannels.all()) {
            PausableChannel pausable = channels.getPausable(channel);
            if (pausable != null) {
                pausable.pause();
            }
        }
        if (!publisher.awaitSettled(config.shutdownTimeout())) {
            LOG.warnf("Shutdown: %d candles still in flight after %s; their windows are rebuilt after the restart",
                    publisher.inFlight(), config.shutdownTimeout());
        }
        sink.flushOnShutdown();
        commits.commitOnShutdown();
        LOG.infof("Stopped intake and flushed the sink: %s", progress.summary());
    }
}

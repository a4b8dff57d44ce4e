package io.candles.consumer;

import java.util.ArrayList;
import java.util.List;

import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.Stage;

/**
 * consumer-app's incoming Kafka channels: one per {@link Stage}, then the sink's. A channel's name is also its
 * consumer group's. The shutdown pauses them, the start-up check reads their rebalance settings, deploy-checks
 * counts their close in the SIGTERM drain.
 */
public final class IncomingChannels {

    private IncomingChannels() {
    }

    public static List<String> all() {
        List<String> channels = new ArrayList<>(Stage.channels());
        channels.add(CandleSink.CHANNEL);
        return List.copyOf(channels);
    }
}

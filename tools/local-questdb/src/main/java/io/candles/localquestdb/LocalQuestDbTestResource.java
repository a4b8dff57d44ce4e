package io.candles.localquestdb;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives Quarkus tests a real QuestDB on free loopback ports with temporary storage. QuestDB has no Dev Service, and
 * this needs only a JDK, so it runs with or without Docker. Points the datasource at it and tells tests its REST URL
 * as {@code questdb.http-url}.
 */
public class LocalQuestDbTestResource implements QuarkusTestResourceLifecycleManager {

    private QuestDbServer server;

    @Override
    public Map<String, String> start() {
        server = QuestDbServer.start(LocalQuestDbSettings.forTests());
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", QuestDbServer.USER,
                "quarkus.datasource.password", QuestDbServer.PASSWORD,
                "questdb.http-url", server.httpUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

package graphkit.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Embedded Neo4j community server for graphkit tests and CI.
 *
 * <p>Everything that is not secret comes from the command line (see {@link #usage()}).
 * The password of user {@code neo4j} comes from the environment variable
 * {@code NEO4J_PASSWORD}, or, when that is unset, from the file named by
 * {@code GRAPHKIT_NEO4J_PASSWORD_FILE}. It is never printed.
 *
 * <p>Once Bolt accepts connections and the password is in place, one line
 * {@code GRAPHKIT_NEO4J_READY bolt://127.0.0.1:PORT} is printed on stdout.
 */
public final class Launcher {
    static final String TAG = "[graphkit-neo4j] ";
    static final String SYSTEM_DB = "system";

    private Launcher() {}

    private static final PrintStream OUT = System.out;

    static void log(String msg) {
        OUT.println(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ"))
                + " " + TAG + msg);
        OUT.flush();
    }

    static void usage() {
        System.err.println("usage: Launcher --home DIR [--port N] [--host 127.0.0.1] [--pagecache 512m]"
                + " [--plugin-dir DIR] [--unrestricted 'gds.*,apoc.*'] [--conf FILE]");
    }

    public static void main(String[] args) {
        String home = null;
        String host = "127.0.0.1";
        int port = 0;
        String pagecache = "512m";
        String pluginDir = null;
        String unrestricted = null;
        String confFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = (i + 1 < args.length) ? args[i + 1] : null;
            switch (a) {
                case "--home": home = v; i++; break;
                case "--host": host = v; i++; break;
                case "--port": port = Integer.parseInt(v); i++; break;
                case "--pagecache": pagecache = v; i++; break;
                case "--plugin-dir": pluginDir = v; i++; break;
                case "--unrestricted": unrestricted = v; i++; break;
                case "--conf": confFile = v; i++; break;
                default:
                    usage();
                    System.exit(2);
            }
        }
        if (home == null) {
            usage();
            System.exit(2);
        }

        String password;
        try {
            password = readPassword();
        } catch (IOException | IllegalStateException e) {
            log("FAILED: " + e.getMessage());
            System.exit(3);
            return;
        }

        Path homeDir = Path.of(home).toAbsolutePath();
        DatabaseManagementService dbms;
        boolean fresh;
        try {
            Files.createDirectories(homeDir);
            fresh = !Files.isDirectory(homeDir.resolve("data").resolve("databases").resolve(SYSTEM_DB));
            if (fresh) {
                // First boot of this data folder: create the system database and set the
                // password with Bolt switched off, so that no client can ever reach the
                // default neo4j/neo4j account. Then restart below with Bolt on.
                log("new data folder " + homeDir + ": initialising users with Bolt off");
                DatabaseManagementService init = builder(homeDir, host, 0, pagecache, null, null, confFile, false).build();
                try {
                    setPassword(init, password);
                } finally {
                    init.shutdown();
                }
            }
            dbms = builder(homeDir, host, port, pagecache, pluginDir, unrestricted, confFile, true).build();
        } catch (Throwable t) {
            log("FAILED to start: " + t);
            t.printStackTrace(OUT);
            OUT.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        final DatabaseManagementService running = dbms;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                running.shutdown();
                log("STOPPED");
            } catch (Throwable t) {
                log("error during shutdown: " + t);
            } finally {
                stopped.countDown();
            }
        }, "graphkit-neo4j-shutdown"));

        try {
            if (!fresh) {
                // Existing data folder: make the password the one given now, so a restart with
                // the same password, or with a new one, both work.  A restart (the bulk import's
                // among them) usually keeps it: a login through the auth manager says so in
                // milliseconds, where ALTER USER, the first Cypher of the JVM, took seconds.
                if (logsIn(dbms, password)) {
                    log("password of user neo4j unchanged");
                } else {
                    setPassword(dbms, password);
                }
            }
            password = null;

            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            int boltPort = boltPort(db, port);
            waitForPort(host, boltPort, 30_000);
            log("running Neo4j Kernel " + Version.getNeo4jVersion() + " community, home " + homeDir + ", page cache "
                    + pagecache + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + "m");
            OUT.println("GRAPHKIT_NEO4J_READY bolt://" + host + ":" + boltPort);
            OUT.flush();
        } catch (Throwable t) {
            log("FAILED after start: " + t);
            t.printStackTrace(OUT);
            OUT.flush();
            System.exit(1); // runs the shutdown hook
            return;
        }

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static DatabaseManagementServiceBuilder builder(Path homeDir, String host, int port, String pagecache,
                                                    String pluginDir, String unrestricted, String confFile,
                                                    boolean bolt) {
        DatabaseManagementServiceBuilder b = new DatabaseManagementServiceBuilder(homeDir);
        b.setUserLogProvider(new Log4jLogProvider(OUT, Level.INFO));

        // Defaults for a test server; a --conf file may override these.
        // No usage reports: nothing outside this machine is reachable anyway.
        b.setConfig(GraphDatabaseSettings.udc_enabled, false);
        // Allow short passwords chosen by developers (Neo4j's default minimum is 8).
        b.setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1);
        // Keep data folders small: no 256 MiB preallocated transaction log per database.
        b.setConfig(GraphDatabaseSettings.preallocate_logical_logs, false);
        b.setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64));
        b.setConfig(GraphDatabaseSettings.keep_logical_logs, "256M size");

        if (confFile != null && !confFile.isEmpty()) {
            b.loadPropertiesFromFile(Path.of(confFile));
        }

        // What the launcher is for; the --conf file cannot change these.
        b.setConfig(GraphDatabaseSettings.auth_enabled, true);
        b.setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache));
        b.setConfig(HttpConnector.enabled, false);
        b.setConfig(HttpsConnector.enabled, false);
        b.setConfig(BoltConnector.enabled, bolt);
        if (bolt) {
            // Bolt waits up to 5 s per connector for idle threads/connections on shutdown (a
            // quarter second here);
            // a test server has nothing worth waiting for.
            b.setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(250));
            b.setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(250));
            b.setConfig(BoltConnector.listen_address, new SocketAddress(host, port));
            b.setConfig(BoltConnector.advertised_address, new SocketAddress(host, port));
        }
        if (pluginDir != null && !pluginDir.isEmpty()) {
            b.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(pluginDir).toAbsolutePath());
        }
        if (unrestricted != null && !unrestricted.isEmpty()) {
            List<String> list = new ArrayList<>();
            for (String s : unrestricted.split(",")) {
                if (!s.isBlank()) {
                    list.add(s.trim());
                }
            }
            b.setConfig(GraphDatabaseSettings.procedure_unrestricted, list);
        }
        return b;
    }

    static String readPassword() throws IOException {
        String pw = System.getenv("NEO4J_PASSWORD");
        if (pw == null || pw.isEmpty()) {
            String file = System.getenv("GRAPHKIT_NEO4J_PASSWORD_FILE");
            if (file == null || file.isEmpty()) {
                throw new IllegalStateException("set NEO4J_PASSWORD or GRAPHKIT_NEO4J_PASSWORD_FILE");
            }
            pw = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        }
        if (pw.isEmpty()) {
            throw new IllegalStateException("the password is empty");
        }
        return pw;
    }

    static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(SYSTEM_DB);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            log("password of user neo4j set");
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            Throwable c = e.getCause();
            while (c != null) {
                msg += " / " + c.getMessage();
                c = c.getCause();
            }
            if (msg.contains("Old password and new password cannot be the same")) {
                // Same password as before on an existing data folder: make sure no change is required.
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
                log("password of user neo4j unchanged");
            } else {
                // The message does not contain the parameter value.
                throw e;
            }
        }
    }

    /** Whether user neo4j logs in with {@code password}, its change not required (no Cypher involved). */
    static boolean logsIn(DatabaseManagementService dbms, String password) {
        try {
            AuthManager auth = ((GraphDatabaseAPI) dbms.database(SYSTEM_DB)).getDependencyResolver()
                    .resolveDependency(AuthManager.class);
            AuthenticationResult result = auth.login(AuthToken.newBasicAuthToken("neo4j", password),
                    ClientConnectionInfo.EMBEDDED_CONNECTION).subject().getAuthenticationResult();
            return result == AuthenticationResult.SUCCESS;
        } catch (Exception e) {
            // No verdict (e.g. an auth manager this code does not know): set the password as before.
            log("password check unavailable (" + e.getClass().getSimpleName() + "), setting it");
            return false;
        }
    }

    static int boltPort(GraphDatabaseService db, int configured) {
        if (configured != 0) {
            return configured;
        }
        ConnectorPortRegister reg = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class);
        HostnamePort hp = reg.getLocalAddress(ConnectorType.BOLT);
        if (hp == null) {
            throw new IllegalStateException("Bolt connector did not register a port");
        }
        return hp.getPort();
    }

    static void waitForPort(String host, int port, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Bolt port " + port + " does not accept connections");
                }
                Thread.sleep(100);
            }
        }
    }
}

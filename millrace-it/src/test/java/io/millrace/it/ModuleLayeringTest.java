package io.millrace.it;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The module arrows of docs/ARCHITECTURE.md, checked on the production classes of every module:
 * common → wire → storage / metadata → quorum → server → cli, the console beside them knowing the cluster only
 * through the Kafka clients, and kafka-clients' internal record classes behind one adapter.
 */
@AnalyzeClasses(packages = "io.millrace", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleLayeringTest {
    private static final String COMMON = "io.millrace.common..";
    private static final String WIRE = "io.millrace.wire..";
    private static final String STORAGE = "io.millrace.storage..";
    private static final String METADATA = "io.millrace.metadata..";
    private static final String QUORUM = "io.millrace.quorum..";
    private static final String SERVER = "io.millrace.server..";
    private static final String COORDINATOR = "io.millrace.coordinator..";
    private static final String CLI = "io.millrace.cli..";
    private static final String TESTKIT = "io.millrace.testkit..";
    private static final String CONSOLE = "io.millrace.console..";
    private static final String METRICS = "io.millrace.metrics..";
    private static final String PROMETHEUS = "io.prometheus..";
    private static final String KAFKA_RECORD_INTERNALS = "org.apache.kafka.common.record.internal..";
    private static final String RECORDS_ADAPTER = "io.millrace.wire.batch.KafkaRecords";

    @ArchTest
    static final ArchRule storageKnowsNothingOfServerMetadataOrCli = noClasses()
            .that().resideInAPackage(STORAGE)
            .should().dependOnClassesThat().resideInAnyPackage(SERVER, METADATA, CLI)
            .because("storage is given a directory and a LogConfig; it is below metadata and the server");

    @ArchTest
    static final ArchRule storageHasNoNetworkCode = noClasses()
            .that().resideInAPackage(STORAGE)
            .should().dependOnClassesThat(resideInAPackage("java.net..")
                    .or(belongToAnyOf(SocketChannel.class, ServerSocketChannel.class)))
            .because("storage has no network code");

    @ArchTest
    static final ArchRule metadataKnowsNothingOfStorageServerOrCli = noClasses()
            .that().resideInAPackage(METADATA)
            .should().dependOnClassesThat().resideInAnyPackage(STORAGE, QUORUM, SERVER, CLI)
            .because("brokers learn what to host by listening to metadata images");

    @ArchTest
    static final ArchRule quorumKnowsOnlyMetadataBelowIt = noClasses()
            .that().resideInAPackage(QUORUM)
            .should().dependOnClassesThat().resideInAnyPackage(STORAGE, COORDINATOR, SERVER, CLI)
            .because("the quorum replicates metadata records; it knows no partition data, coordinator or server");

    @ArchTest
    static final ArchRule coordinatorKnowsNothingOfStorageServerMetadataOrCli = noClasses()
            .that().resideInAPackage(COORDINATOR)
            .should().dependOnClassesThat().resideInAnyPackage(STORAGE, SERVER, METADATA, CLI)
            .because("the coordinator is given a CoordinatorLog and a TopicsView; the server implements them");

    @ArchTest
    static final ArchRule coordinatorHasNoNetworkCode = noClasses()
            .that().resideInAPackage(COORDINATOR)
            .should().dependOnClassesThat(resideInAPackage("java.net..")
                    .or(belongToAnyOf(SocketChannel.class, ServerSocketChannel.class)))
            .because("the coordinator changes state by replaying records, without I/O of its own");

    @ArchTest
    static final ArchRule onlyTheServerUsesTheCoordinator = noClasses()
            .that().resideInAnyPackage(COMMON, WIRE, STORAGE, METADATA, QUORUM)
            .should().dependOnClassesThat().resideInAPackage(COORDINATOR)
            .because("the coordinator sits beside storage and metadata, below the server");

    @ArchTest
    static final ArchRule commonDependsOnNothingOfOurs = classes()
            .that().resideInAPackage(COMMON)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.millrace..").or(resideInAPackage(COMMON)))
            .because("common is the bottom layer");

    @ArchTest
    static final ArchRule wireKnowsOnlyCommon = noClasses()
            .that().resideInAPackage(WIRE)
            .should().dependOnClassesThat().resideInAnyPackage(STORAGE, METADATA, SERVER, CLI)
            .because("the protocol codec layer does no I/O and knows no subsystem");

    @ArchTest
    static final ArchRule onlyTheCliUsesTheCli = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("the command line is the top of the stack");

    @ArchTest
    static final ArchRule nothingButTestsUsesTheTestkit = noClasses()
            .that().resideOutsideOfPackage(TESTKIT)
            .should().dependOnClassesThat().resideInAPackage(TESTKIT)
            .because("the testkit is a test dependency for users; no module of the broker depends on it");

    @ArchTest
    static final ArchRule theTestkitStartsBrokersNotTheCli = noClasses()
            .that().resideInAPackage(TESTKIT)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("the testkit starts the server module's Broker in process; the CLI is a launcher");

    @ArchTest
    static final ArchRule theConsoleKnowsTheClusterOnlyThroughTheKafkaClients = classes()
            .that().resideInAPackage(CONSOLE)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.millrace..").or(resideInAPackage(CONSOLE)))
            .because("the web console talks to a cluster through the Admin and consumer clients only, so it works "
                    + "against Apache Kafka too");

    @ArchTest
    static final ArchRule theConsoleUsesNoWireLevelClasses = noClasses()
            .that().resideInAPackage(CONSOLE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.common.requests..",
                    "org.apache.kafka.common.message..", "org.apache.kafka.common.protocol..",
                    "org.apache.kafka.common.record..", "org.apache.kafka.clients.admin.internals..")
            .because("the console uses kafka-clients' public client API, not its protocol classes");

    @ArchTest
    static final ArchRule onlyTheCliStartsTheConsole = noClasses()
            .that().resideOutsideOfPackages(CONSOLE, CLI)
            .should().dependOnClassesThat().resideInAPackage(CONSOLE)
            .because("the console is started by `millrace console` or beside the broker by `millrace server`");

    @ArchTest
    static final ArchRule serverDoesNotUseTheCli = noClasses()
            .that().resideInAPackage(SERVER)
            .should().dependOnClassesThat().resideInAPackage(CLI);

    @ArchTest
    static final ArchRule networkDoesNotKnowTheHandlers = noClasses()
            .that().resideInAPackage("io.millrace.server.network..")
            .should().dependOnClassesThat().resideInAPackage("io.millrace.server.handlers..")
            .because("the network layer frames and dispatches requests through the api package's "
                    + "handler interface; which handler serves an API key is wired above it");

    @ArchTest
    static final ArchRule metricsKnowsNothingOfOurs = classes()
            .that().resideInAPackage(METRICS)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.millrace..").or(resideInAPackage(METRICS)))
            .because("the metrics module binds our meters and gauges to Prometheus; the broker records into it");

    @ArchTest
    static final ArchRule onlyTheMetricsModuleSeesPrometheus = noClasses()
            .that().resideInAPackage("io.millrace..").and().resideOutsideOfPackage(METRICS)
            .should().dependOnClassesThat().resideInAPackage(PROMETHEUS)
            .because("the broker records through our small interfaces; only millrace-metrics knows the client");

    @ArchTest
    static final ArchRule onlyTheServerRecordsMetrics = noClasses()
            .that().resideInAnyPackage(COMMON, WIRE, STORAGE, METADATA, QUORUM, COORDINATOR)
            .should().dependOnClassesThat().resideInAPackage(METRICS)
            .because("the modules below the server expose plain counters (e.g. StorageStats); the server binds them");

    @ArchTest
    static final ArchRule kafkaRecordInternalsStayBehindOneAdapter = noClasses()
            .that().resideInAPackage("io.millrace..")
            .and(DescribedPredicate.not(recordsAdapter()))
            .should().dependOnClassesThat(resideInAnyPackage(KAFKA_RECORD_INTERNALS))
            .because("kafka-clients' record classes are internal and move between releases: only "
                    + RECORDS_ADAPTER + " may use them");

    /** The rules above pass vacuously if a module is missing from the import: check it is not. */
    @ArchTest
    static void everyModuleIsImported(JavaClasses imported) {
        for (String module : List.of(COMMON, WIRE, STORAGE, METADATA, QUORUM, COORDINATOR, METRICS, SERVER, CLI,
                TESTKIT, CONSOLE)) {
            String pkg = module.substring(0, module.length() - 2);
            assertTrue(imported.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
                    "no production class of " + pkg + " on the test class path");
        }
        assertTrue(imported.contain(RECORDS_ADAPTER), RECORDS_ADAPTER + " is imported");
    }

    private static DescribedPredicate<JavaClass> recordsAdapter() {
        return DescribedPredicate.describe(RECORDS_ADAPTER + " (and its nested classes)",
                c -> c.getName().equals(RECORDS_ADAPTER) || c.getName().startsWith(RECORDS_ADAPTER + "$"));
    }
}

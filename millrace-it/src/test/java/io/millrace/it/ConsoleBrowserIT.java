package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.console.Console;
import io.millrace.console.ConsoleOptions;
import io.millrace.testkit.EmbeddedMillrace;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: a broker with a topic and a consumer group that lags, the
 * console against it, and headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium) loading every page; each page's content is checked and a screenshot saved in
 * target/console-screenshots. Skipped, saying why, when Chromium or its driver is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleBrowserIT {

    private static final String TOPIC = "orders";
    private static final String LIVE_TOPIC = "clicks";
    private static final String GROUP = "billing";
    private static final int MESSAGES_PER_PARTITION = 50;
    private static final int CONSUMED_PER_PARTITION = 20;
    /** Partition 0 holds one more message, whose key has markup. */
    private static final long EXPECTED_LAG = 2L * (MESSAGES_PER_PARTITION - CONSUMED_PER_PARTITION) + 1;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static EmbeddedMillrace broker;
    private static Console console;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(),
                "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver): "
                        + "the console's browser test is skipped");
        // the browser starts while the broker starts and is filled
        CompletableFuture<WebDriver> starting = CompletableFuture.supplyAsync(() -> {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.get().toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1100");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        });
        try {
            broker = EmbeddedMillrace.builder().topic(TOPIC, 2).topic(LIVE_TOPIC, 1).start();
            fill(broker.bootstrapServers());
            console = Console.start(ConsoleOptions.of(broker.bootstrapServers(), new InetSocketAddress("127.0.0.1", 0))
                    .withSampleInterval(Duration.ofMillis(500)));
            base = "http://" + console.hostPort();
        } finally {
            browser = starting.get(60, TimeUnit.SECONDS);
        }
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void clusterPageShowsTheBrokerAndHealth() throws Exception {
        open("/cluster", "cluster");
        String text = body();
        assertTrue(text.contains("Cluster id") && text.contains("controller"), text);
        assertTrue(text.contains("0 under-replicated, 0 offline"), text);
    }

    @Test
    void topicPagesShowTheTopicItsPartitionsAndALiveChart() throws Exception {
        open("/topics", "topics");
        assertTrue(browser.findElement(By.linkText(TOPIC)).isDisplayed());
        assertTrue(body().contains(String.valueOf(2 * MESSAGES_PER_PARTITION + 1)), "the message count: " + body());
        open("/topic?name=" + TOPIC, "topic");
        assertTrue(body().contains("In-sync replicas") && body().contains("retention.ms"), body());
        assertTrue(body().contains(" KiB"), "partition sizes from DescribeLogDirs: " + body());
        awaitChartData("throughput-chart");
        screenshot("topic");
    }

    @Test
    void messagesAreShownWithJsonPrettyPrintedAndMarkupEscaped() throws Exception {
        open("/messages?topic=" + TOPIC + "&partition=0&offset=0&limit=60", "messages");
        String text = body();
        assertTrue(text.contains("\"amount\": 0"), "pretty-printed JSON value: " + text);
        assertTrue(text.contains("source: console-it"), "a header: " + text);
        assertTrue(text.contains("\"items\": [\n"), "a JSON array over lines: " + text);
        assertTrue(text.contains("<b>bold</b>"), "the key's markup shown as text: " + text);
        assertTrue(browser.findElements(By.xpath("//b[text()='bold']")).isEmpty(), "a key's markup is not rendered");
    }

    @Test
    void groupPagesShowTheLagAndItsPlot() throws Exception {
        open("/groups", "groups");
        assertTrue(browser.findElement(By.linkText(GROUP)).isDisplayed());
        open("/group?id=" + GROUP, "group");
        assertEquals(String.valueOf(EXPECTED_LAG), browser.findElement(By.id("total-lag")).getText());
        assertTrue(body().contains(TOPIC), body());
        awaitChartData("lag-chart");
        Object lastLag = ((JavascriptExecutor) browser).executeScript(
                "var d = Chart.getChart(document.getElementById('lag-chart')).data.datasets[0].data;"
                        + "return d[d.length - 1].y;");
        assertEquals(EXPECTED_LAG, ((Number) lastLag).longValue(), "the plotted lag");
        screenshot("group");
    }

    @Test
    void throughputPageDrawsChartsPerTopicWithLiveTraffic() throws Exception {
        open("/throughput", "throughput");
        for (String chart : List.of("messages-in-chart", "bytes-in-chart", "messages-out-chart")) {
            awaitChartData(chart);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(LIVE_TOPIC, "click-" + i));
            }
        }
        // the page polls the console, which samples the cluster: the clicks line rises above zero
        String highest = "var d = Chart.getChart(document.getElementById('messages-in-chart')).data.datasets"
                + ".find(function (s) { return s.label === '" + LIVE_TOPIC + "'; });"
                + "return d ? Math.max.apply(null, d.data.map(function (x) { return x.y; }).concat([0])) : 0;";
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b ->
                ((Number) ((JavascriptExecutor) b).executeScript(highest)).doubleValue() > 0);
        Object labels = ((JavascriptExecutor) browser).executeScript("return Chart.getChart("
                + "document.getElementById('messages-in-chart')).data.datasets.map(function (d) { return d.label; });");
        assertEquals(List.of(LIVE_TOPIC, TOPIC), labels);
        screenshot("throughput");
    }

    @Test
    void actionsAreOfferedOnlyWhenEnabledAndGoThroughTheAdminApi() throws Exception {
        browser.get(base + "/topics");
        assertTrue(browser.findElements(By.cssSelector("form[action^='/actions/']")).isEmpty(), "read-only: no forms");
        try (Console withActions = Console.start(ConsoleOptions.of(broker.bootstrapServers(),
                new InetSocketAddress("127.0.0.1", 0)).withActions(true))) {
            String actions = "http://" + withActions.hostPort();
            browser.get(actions + "/topics");
            browser.findElement(By.name("name")).sendKeys("made-in-browser");
            browser.findElement(By.name("partitions")).clear();
            browser.findElement(By.name("partitions")).sendKeys("3");
            browser.findElement(By.cssSelector("form[action='/actions/create-topic'] button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getCurrentUrl().contains("/topic?name=made-in-browser"));
            screenshot("topic-created");
            assertEquals(3, browser.findElements(By.xpath("//h2[text()='Partitions']/following-sibling::table[1]/tbody/tr")).size());
            ((JavascriptExecutor) browser).executeScript("window.confirm = function () { return true; };");
            browser.findElement(By.cssSelector("form[action='/actions/delete-topic'] button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> {
                b.get(actions + "/topics");
                return b.findElements(By.linkText("made-in-browser")).isEmpty();
            });
        }
    }

    /** Two partitions of JSON values, one key with markup, a header; the group committed 20 of 50 on each. */
    private static void fill(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < MESSAGES_PER_PARTITION; i++) {
                    ProducerRecord<String, String> r = new ProducerRecord<>(TOPIC, partition, "order-" + i,
                            "{\"id\":" + i + ",\"amount\":" + i + ",\"items\":[\"a\",\"b\"]}");
                    r.headers().add("source", "console-it".getBytes(StandardCharsets.UTF_8));
                    producer.send(r);
                }
            }
            producer.send(new ProducerRecord<>(TOPIC, 0, "<b>bold</b>", "<script>alert(1)</script>")).get();
        }
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", GROUP);
        c.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(CONSUMED_PER_PARTITION),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(CONSUMED_PER_PARTITION)));
        }
    }

    private static void open(String path, String name) throws Exception {
        browser.get(base + path);
        screenshot(name);
    }

    private static String body() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** Waits until the chart's script has drawn at least one point from the console's JSON. */
    private static void awaitChartData(String canvasId) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> {
            String points = b.findElement(By.id(canvasId)).getDomAttribute("data-points");
            return points != null && Integer.parseInt(points) > 0;
        });
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<Path> executable(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names).flatMap(n -> Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst();
    }
}

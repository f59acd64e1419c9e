package io.metergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metergate.app.Config;
import io.metergate.session.SessionTokens;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads k8s/ and the Dockerfile as plain YAML and text (no cluster, no kustomize binary, no database) and
 * checks them against what the gateway really reads and serves. Each kustomization is rendered here in a
 * simplified way (resources, then strategic-merge patches: maps merged, named list items merged by name).
 */
@DisplayName("Deployment manifests")
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final String GATEWAY = "metergate";

  // ---- environment ------------------------------------------------------------------------------

  @Test
  @DisplayName("every environment variable the manifests give the gateway is one Config reads")
  void envNamesAreKnown() {
    List<Map<String, Object>> docs = allDocuments();
    Set<String> configMaps = new TreeSet<>();
    Set<String> secrets = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> container : gatewayContainers(docs)) {
      for (Map<String, Object> source : maps(at(container, "envFrom"))) {
        Optional.ofNullable(str(at(source, "configMapRef", "name"))).ifPresent(configMaps::add);
        Optional.ofNullable(str(at(source, "secretRef", "name"))).ifPresent(secrets::add);
      }
      maps(at(container, "env")).forEach(e -> names.add(str(e.get("name"))));
    }
    for (Map<String, Object> doc : docs) {
      if (isA(doc, "ConfigMap") && configMaps.contains(name(doc))) {
        names.addAll(keys(at(doc, "data")));
      }
      if (isA(doc, "Secret") && secrets.contains(name(doc))) {
        names.addAll(keys(at(doc, "data")));
        names.addAll(keys(at(doc, "stringData")));
      }
    }

    assertThat(configMaps).as("ConfigMaps the gateway container reads with envFrom").isNotEmpty();
    assertThat(names).contains("METERGATE_DATABASE_URL", "METERGATE_SHUTDOWN_GRACE_SECONDS");
    assertThat(Config.ENV_NAMES).as("Config.ENV_NAMES (a name the manifests set that the gateway never reads)")
        .containsAll(names);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("the environment each kustomization gives the gateway is accepted by Config")
  void environmentIsValid(Variant variant) {
    Map<String, String> env = variant.environment();

    Config config = Config.fromEnv(env);

    assertThat(env).as("the embedded PostgreSQL fallback must never be used in a container")
        .containsKey("METERGATE_DATABASE_URL");
    assertThat(config.databaseUrl()).isPresent();
  }

  @Test
  @DisplayName("the base bootstraps no key and logs JSON")
  void baseIsProductionShaped() {
    Map<String, String> env = variant("base").environment();

    assertThat(env).containsEntry("METERGATE_BOOTSTRAP_KEY", "off").containsEntry("METERGATE_LOG_FORMAT", "json");
    assertThat(Config.fromEnv(env).bootstrapKey()).isEmpty();
  }

  // ---- ports, probes, scraping ------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("container ports and Service target ports are the ports the gateway listens on")
  void portsMatchConfig(Variant variant) {
    Config config = Config.fromEnv(variant.environment());
    Map<String, Object> container = variant.gatewayContainer();
    Map<String, Object> service = variant.one("Service", GATEWAY);

    assertThat(containerPorts(container))
        .containsEntry("http", config.httpPort())
        .containsEntry("management", config.managementPort());
    Map<String, Integer> targets = new LinkedHashMap<>();
    for (Map<String, Object> port : maps(at(service, "spec", "ports"))) {
      targets.put(str(port.get("name")), resolvePort(container, port.get("targetPort")));
    }
    assertThat(targets)
        .containsEntry("http", config.httpPort())
        .containsEntry("management", config.managementPort());
    assertThat(str(at(service, "spec", "type"))).isIn(null, "ClusterIP");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("liveness, readiness and start-up probes ask the management port for /health/live and /health/ready")
  void probesUseManagementEndpoints(Variant variant) {
    Map<String, Object> container = variant.gatewayContainer();
    int management = Config.fromEnv(variant.environment()).managementPort();

    assertThat(probe(container, "livenessProbe")).isEqualTo(new HttpProbe("/health/live", management));
    assertThat(probe(container, "readinessProbe")).isEqualTo(new HttpProbe("/health/ready", management));
    assertThat(probe(container, "startupProbe")).isIn(
        new HttpProbe("/health/live", management), new HttpProbe("/health/ready", management));
  }

  @Test
  @DisplayName("the ServiceMonitor scrapes /metrics on the Service port that reaches the management port")
  void serviceMonitorScrapesMetrics() {
    List<Variant> monitored = variants().filter(v -> !v.all("ServiceMonitor").isEmpty()).toList();

    assertThat(monitored).extracting(Variant::toString).contains("base");
    for (Variant variant : monitored) {
      int management = Config.fromEnv(variant.environment()).managementPort();
      Map<String, Object> service = variant.one("Service", GATEWAY);
      for (Map<String, Object> monitor : variant.all("ServiceMonitor")) {
        assertThat(labels(service)).as("Service labels").containsAllEntriesOf(matchLabels(at(monitor, "spec", "selector")));
        List<Map<String, Object>> endpoints = maps(at(monitor, "spec", "endpoints"));
        assertThat(endpoints).isNotEmpty().allSatisfy(endpoint -> {
          assertThat(str(endpoint.get("path"))).isEqualTo("/metrics");
          Map<String, Object> servicePort = maps(at(service, "spec", "ports")).stream()
              .filter(p -> Objects.equals(p.get("name"), endpoint.get("port"))).findFirst()
              .orElseThrow(() -> new AssertionError("no Service port named " + endpoint.get("port")));
          assertThat(resolvePort(variant.gatewayContainer(), servicePort.get("targetPort"))).isEqualTo(management);
        });
      }
    }
  }

  // ---- shutdown ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("terminationGracePeriodSeconds outlasts the preStop sleep plus METERGATE_SHUTDOWN_GRACE_SECONDS")
  void terminationGraceCoversDrain(Variant variant) {
    Map<String, Object> pod = variant.gatewayPod();
    int grace = Config.fromEnv(variant.environment()).shutdownGraceSeconds();
    int preStop = preStopSleepSeconds(variant.gatewayContainer());
    Object termination = pod.get("terminationGracePeriodSeconds");

    assertThat(preStop).as("preStop sleep, so endpoints are removed before SIGTERM").isPositive();
    assertThat(termination).as("terminationGracePeriodSeconds (the default 30 is not enough)").isInstanceOf(Integer.class);
    assertThat((Integer) termination).isGreaterThan(preStop + grace);
  }

  // ---- security ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("the gateway runs as a non-root user on a read-only root filesystem with no capabilities")
  void containerIsLockedDown(Variant variant) {
    Map<String, Object> pod = variant.gatewayPod();
    Map<String, Object> container = variant.gatewayContainer();

    assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(list(at(container, "securityContext", "capabilities", "drop")).stream().map(String::valueOf).toList()).contains("ALL");
    assertThat(maps(at(container, "volumeMounts"))).as("a writable /tmp for the JVM and Vert.x")
        .anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo("/tmp"));
    assertThat(at(container, "resources", "limits", "memory")).as("memory limit").isNotNull();
    assertThat(at(container, "resources", "requests", "cpu")).as("CPU request (the HPA measures against it)").isNotNull();
  }

  // ---- secrets ----------------------------------------------------------------------------------

  @Test
  @DisplayName("every Secret key the pods read is in the template, whose placeholders cannot start a gateway")
  void secretTemplateCoversReferences() {
    Map<String, Object> template = single(readDocuments(K8S.resolve("base/secret.example.yaml")));
    Map<String, Object> templateData = stringData(template);

    assertThat(secretKeysReadBy(variant("base"), name(template))).isNotEmpty();
    assertThat(templateData).containsKeys(secretKeysReadBy(variant("base"), name(template)).toArray(String[]::new));
    assertThat(templateData.values()).allSatisfy(v -> assertThat(str(v)).contains("REPLACE"));
    assertThatThrownBy(() -> SessionTokens.decodeSecret(str(templateData.get("session-secret"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("a kustomization that ships the Secret ships every key its pods read, and a usable session secret")
  void shippedSecretsAreComplete(Variant variant) {
    for (Map<String, Object> secret : variant.all("Secret")) {
      Map<String, Object> data = stringData(secret);

      assertThat(data).containsKeys(secretKeysReadBy(variant, name(secret)).toArray(String[]::new));
      if (data.containsKey("session-secret")) {
        assertThat(SessionTokens.decodeSecret(str(data.get("session-secret")))).hasSizeGreaterThanOrEqualTo(32);
      }
    }
  }

  // ---- wiring -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  @DisplayName("Service, PodDisruptionBudget, NetworkPolicy and autoscaler all point at the gateway pods")
  void selectorsMatchPods(Variant variant) {
    Map<String, Object> deployment = variant.one("Deployment", GATEWAY);
    Map<String, String> podLabels = stringMap(at(deployment, "spec", "template", "metadata", "labels"));
    Map<String, Object> container = variant.gatewayContainer();

    assertThat(podLabels).containsAllEntriesOf(matchLabels(at(deployment, "spec", "selector")));
    assertThat(podLabels).containsAllEntriesOf(stringMap(at(variant.one("Service", GATEWAY), "spec", "selector")));
    variant.all("PodDisruptionBudget").forEach(pdb ->
        assertThat(podLabels).containsAllEntriesOf(matchLabels(at(pdb, "spec", "selector"))));
    variant.all("HorizontalPodAutoscaler").forEach(hpa ->
        assertThat(stringMap(at(hpa, "spec", "scaleTargetRef"))).containsEntry("kind", "Deployment")
            .containsEntry("name", name(deployment)));
    for (Map<String, Object> policy : variant.all("NetworkPolicy")) {
      assertThat(podLabels).containsAllEntriesOf(matchLabels(at(policy, "spec", "podSelector")));
      for (Map<String, Object> rule : maps(at(policy, "spec", "ingress"))) {
        maps(rule.get("ports")).forEach(p -> assertThat(resolvePort(container, p.get("port")))
            .as("NetworkPolicy ingress port %s", p.get("port")).isIn(containerPorts(container).values()));
      }
    }
  }

  @Test
  @DisplayName("every YAML file under k8s/ is listed by a kustomization, and every listed file exists")
  void noOrphanManifests() throws IOException {
    Set<Path> listed = new TreeSet<>();
    for (Path dir : variantDirs()) {
      Map<String, Object> kustomization = single(readDocuments(dir.resolve("kustomization.yaml")));
      for (String entry : kustomizationEntries(kustomization)) {
        Path p = dir.resolve(entry).normalize();
        assertThat(p).as("%s lists %s", dir, entry).exists();
        listed.add(p);
      }
    }
    List<Path> manifests;
    try (Stream<Path> files = Files.walk(K8S)) {
      manifests = files.filter(KubernetesManifestsTest::isYaml)
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .map(Path::normalize).sorted().toList();
    }
    List<Path> templates = manifests.stream().filter(p -> p.getFileName().toString().contains(".example.")).toList();

    assertThat(manifests).isNotEmpty();
    assertThat(listed).as("files listed by a kustomization (templates such as *.example.yaml are exempt)")
        .containsAll(manifests.stream().filter(p -> !templates.contains(p)).toList());
    assertThat(listed).as("templates must never be applied").doesNotContainAnyElementsOf(templates);
  }

  // ---- Dockerfile -------------------------------------------------------------------------------

  @Test
  @DisplayName("the Dockerfile's runtime stage exposes both ports and runs the jar as the pod's non-root user")
  void dockerfileRuntimeStage() throws IOException {
    List<String> runtime = runtimeStage(Files.readString(DOCKERFILE));
    Config defaults = Config.fromEnv(Map.of());
    Set<String> exposed = instructions(runtime, "EXPOSE").stream()
        .flatMap(args -> Stream.of(args.split("\\s+"))).map(p -> p.replace("/tcp", ""))
        .collect(Collectors.toSet());
    List<String> users = instructions(runtime, "USER");
    List<String> entrypoints = instructions(runtime, "ENTRYPOINT");

    assertThat(exposed).contains(String.valueOf(defaults.httpPort()), String.valueOf(defaults.managementPort()));
    assertThat(users).as("USER in the runtime stage").isNotEmpty();
    String uid = users.get(users.size() - 1).split(":")[0];
    assertThat(uid).as("numeric, so runAsNonRoot can verify it").matches("[0-9]+").isNotEqualTo("0");
    assertThat(at(variant("base").gatewayPod(), "securityContext", "runAsUser")).isIn(null, Integer.parseInt(uid));
    assertThat(entrypoints).as("ENTRYPOINT").hasSize(1);
    assertThat(entrypoints.get(0)).as("exec form, so SIGTERM reaches the JVM").startsWith("[\"java\"")
        .contains("-jar");
  }

  // ==== rendering ================================================================================

  /** One kustomization directory, rendered: its resources (recursively), then its patches. */
  record Variant(Path dir, List<Map<String, Object>> docs) {
    @Override
    public String toString() {
      return K8S.relativize(dir).toString().replace('\\', '/');
    }

    List<Map<String, Object>> all(String kind) {
      return docs.stream().filter(d -> isA(d, kind)).toList();
    }

    Map<String, Object> one(String kind, String name) {
      return all(kind).stream().filter(d -> name.equals(name(d))).findFirst()
          .orElseThrow(() -> new AssertionError(this + " has no " + kind + " " + name));
    }

    Map<String, Object> gatewayPod() {
      return asMap(at(one("Deployment", GATEWAY), "spec", "template", "spec"));
    }

    Map<String, Object> gatewayContainer() {
      return maps(gatewayPod().get("containers")).stream().filter(c -> GATEWAY.equals(c.get("name"))).findFirst()
          .orElseThrow(() -> new AssertionError(this + ": no container named " + GATEWAY));
    }

    /** What the gateway process would see: envFrom ConfigMaps, then env (secret values when shipped). */
    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      Map<String, Object> container = gatewayContainer();
      for (Map<String, Object> source : maps(container.get("envFrom"))) {
        String configMap = str(at(source, "configMapRef", "name"));
        if (configMap != null) {
          stringMap(at(one("ConfigMap", configMap), "data")).forEach(env::put);
        }
      }
      for (Map<String, Object> e : maps(container.get("env"))) {
        String secret = str(at(e, "valueFrom", "secretKeyRef", "name"));
        String key = str(at(e, "valueFrom", "secretKeyRef", "key"));
        Object value = secret == null ? e.get("value")
            : all("Secret").stream().filter(s -> secret.equals(name(s))).findFirst()
                .map(s -> stringData(s).get(key)).orElse("<" + secret + "/" + key + ">");
        env.put(str(e.get("name")), value == null ? "" : String.valueOf(value));
      }
      return env;
    }
  }

  static Stream<Variant> variants() {
    return variantDirs().stream().map(KubernetesManifestsTest::render);
  }

  private static Variant variant(String relative) {
    return render(K8S.resolve(relative));
  }

  private static List<Path> variantDirs() {
    try (Stream<Path> files = Files.walk(K8S)) {
      return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
          .map(p -> p.getParent().normalize()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Variant render(Path dir) {
    Map<String, Object> kustomization = single(readDocuments(dir.resolve("kustomization.yaml")));
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object resource : list(kustomization.get("resources"))) {
      Path p = dir.resolve(str(resource)).normalize();
      docs.addAll(Files.isDirectory(p) ? render(p).docs() : readDocuments(p));
    }
    for (String patch : patchPaths(kustomization)) {
      for (Map<String, Object> doc : readDocuments(dir.resolve(patch))) {
        applyPatch(docs, doc, dir.resolve(patch));
      }
    }
    return new Variant(dir, docs);
  }

  private static void applyPatch(List<Map<String, Object>> docs, Map<String, Object> patch, Path file) {
    for (int i = 0; i < docs.size(); i++) {
      Map<String, Object> target = docs.get(i);
      if (Objects.equals(target.get("kind"), patch.get("kind")) && Objects.equals(name(target), name(patch))) {
        if ("delete".equals(patch.get("$patch"))) {
          docs.remove(i);
        } else {
          docs.set(i, asMap(merge(target, patch)));
        }
        return;
      }
    }
    throw new AssertionError(file + " patches " + patch.get("kind") + " " + name(patch) + ", which is not rendered");
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object base, Object patch) {
    if (base instanceof Map && patch instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) base);
      ((Map<String, Object>) patch).forEach((k, v) -> out.put(k, out.containsKey(k) ? merge(out.get(k), v) : v));
      return out;
    }
    if (base instanceof List<?> b && patch instanceof List<?> p && named(b) && named(p)) {
      Map<Object, Object> byName = new LinkedHashMap<>();
      b.forEach(item -> byName.put(((Map<?, ?>) item).get("name"), item));
      p.forEach(item -> byName.merge(((Map<?, ?>) item).get("name"), item, KubernetesManifestsTest::merge));
      return new ArrayList<>(byName.values());
    }
    return patch;
  }

  private static boolean named(List<?> items) {
    return !items.isEmpty() && items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.containsKey("name"));
  }

  private static List<String> patchPaths(Map<String, Object> kustomization) {
    List<String> paths = new ArrayList<>();
    for (Object patch : list(kustomization.get("patches"))) {
      Optional.ofNullable(patch instanceof Map<?, ?> m ? str(m.get("path")) : null).ifPresent(paths::add);
    }
    list(kustomization.get("patchesStrategicMerge")).forEach(p -> paths.add(str(p)));
    return paths;
  }

  private static List<String> kustomizationEntries(Map<String, Object> kustomization) {
    List<String> entries = new ArrayList<>();
    list(kustomization.get("resources")).forEach(r -> entries.add(str(r)));
    entries.addAll(patchPaths(kustomization));
    return entries;
  }

  // ==== reading ==================================================================================

  private static List<Map<String, Object>> allDocuments() {
    try (Stream<Path> files = Files.walk(K8S)) {
      List<Map<String, Object>> docs = files.filter(KubernetesManifestsTest::isYaml).sorted()
          .flatMap(p -> readDocuments(p).stream()).toList();
      assertThat(docs).as("YAML documents under %s", K8S.toAbsolutePath()).isNotEmpty();
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Map<String, Object>> readDocuments(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object doc : yaml.loadAll(reader)) {
        if (doc != null) {
          docs.add(asMap(doc));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  private static boolean isYaml(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  private static List<Map<String, Object>> gatewayContainers(List<Map<String, Object>> docs) {
    return docs.stream().filter(d -> isA(d, "Deployment"))
        .flatMap(d -> maps(at(d, "spec", "template", "spec", "containers")).stream())
        .filter(c -> GATEWAY.equals(c.get("name"))).toList();
  }

  private static Set<String> secretKeysReadBy(Variant variant, String secretName) {
    Set<String> keys = new LinkedHashSet<>();
    for (Map<String, Object> workload : variant.docs()) {
      Map<String, Object> pod = asMap(at(workload, "spec", "template", "spec"));
      Stream.concat(maps(pod.get("containers")).stream(), maps(pod.get("initContainers")).stream())
          .flatMap(c -> maps(c.get("env")).stream())
          .filter(e -> secretName.equals(at(e, "valueFrom", "secretKeyRef", "name")))
          .forEach(e -> keys.add(str(at(e, "valueFrom", "secretKeyRef", "key"))));
    }
    return keys;
  }

  private static Map<String, Object> stringData(Map<String, Object> secret) {
    Map<String, Object> data = new LinkedHashMap<>();
    asMap(secret.get("data")).forEach((k, v) -> data.put(k, new String(
        java.util.Base64.getDecoder().decode(str(v)), java.nio.charset.StandardCharsets.UTF_8)));
    data.putAll(asMap(secret.get("stringData")));
    return data;
  }

  private record HttpProbe(String path, int port) {}

  private static HttpProbe probe(Map<String, Object> container, String kind) {
    Map<String, Object> get = asMap(at(container, kind, "httpGet"));
    assertThat(get).as("%s.httpGet", kind).isNotEmpty();
    return new HttpProbe(str(get.get("path")), resolvePort(container, get.get("port")));
  }

  private static Map<String, Integer> containerPorts(Map<String, Object> container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    maps(container.get("ports")).forEach(p -> ports.put(str(p.get("name")), (Integer) p.get("containerPort")));
    return ports;
  }

  /** A port given by number or by the container port's name. */
  private static int resolvePort(Map<String, Object> container, Object port) {
    if (port instanceof Integer n) {
      return n;
    }
    Integer byName = containerPorts(container).get(str(port));
    if (byName == null) {
      throw new AssertionError("no container port named " + port);
    }
    return byName;
  }

  private static int preStopSleepSeconds(Map<String, Object> container) {
    Object seconds = at(container, "lifecycle", "preStop", "sleep", "seconds");
    if (seconds instanceof Integer s) {
      return s;
    }
    String command = String.join(" ", list(at(container, "lifecycle", "preStop", "exec", "command")).stream()
        .map(String::valueOf).toList());
    Matcher m = Pattern.compile("\\bsleep\\s+(\\d+)").matcher(command);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Instructions after the last FROM, continuation lines joined, comments dropped. */
  private static List<String> runtimeStage(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String t = line.strip();
      if (t.startsWith("#") || t.isEmpty() && current.length() == 0) {
        continue;
      }
      current.append(t.endsWith("\\") ? t.substring(0, t.length() - 1) : t).append(' ');
      if (!t.endsWith("\\")) {
        instructions.add(current.toString().strip());
        current.setLength(0);
      }
    }
    int lastFrom = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).toUpperCase().startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    assertThat(lastFrom).as("a build stage before the runtime stage").isPositive();
    return instructions.subList(lastFrom, instructions.size());
  }

  private static List<String> instructions(List<String> stage, String keyword) {
    return stage.stream().filter(i -> i.toUpperCase().startsWith(keyword + " "))
        .map(i -> i.substring(keyword.length()).strip()).toList();
  }

  // ==== YAML navigation ==========================================================================

  private static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object node) {
    return node instanceof Map<?, ?> ? (Map<String, Object>) node : Map.of();
  }

  private static List<?> list(Object node) {
    return node instanceof List<?> l ? l : List.of();
  }

  private static List<Map<String, Object>> maps(Object node) {
    return list(node).stream().map(KubernetesManifestsTest::asMap).toList();
  }

  private static Set<String> keys(Object node) {
    return asMap(node).keySet();
  }

  private static Map<String, String> stringMap(Object node) {
    Map<String, String> out = new LinkedHashMap<>();
    asMap(node).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static Map<String, String> matchLabels(Object selector) {
    Map<String, String> labels = stringMap(at(selector, "matchLabels"));
    assertThat(labels).as("selector.matchLabels").isNotEmpty();
    return labels;
  }

  private static Map<String, String> labels(Map<String, Object> doc) {
    return stringMap(at(doc, "metadata", "labels"));
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static String name(Map<String, Object> doc) {
    return str(at(doc, "metadata", "name"));
  }

  private static boolean isA(Map<String, Object> doc, String kind) {
    return kind.equals(doc.get("kind"));
  }

  private static Map<String, Object> single(List<Map<String, Object>> docs) {
    assertThat(docs).hasSize(1);
    return docs.get(0);
  }
}

// Checks the Kubernetes manifests under deploy/ against what the gateway actually does: every
// YAML document parses, kustomizations name files that exist, the probes ask the health names
// the server sets, the grace period covers the configured drain, every secret the config reads
// is a file on a read-only Secret mount, and the pod runs locked down.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gateway/config/config.h"
#include "gateway/server/gateway_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "yaml-cpp/yaml.h"

namespace gateway {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The one document of `kind` in a file (a file may hold several, separated by ---).
YAML::Node FindKind(const std::string& path, const std::string& kind) {
  for (const YAML::Node& doc : YAML::LoadAllFromFile(path)) {
    if (doc["kind"] && doc["kind"].as<std::string>() == kind) return doc;
  }
  ADD_FAILURE() << "no " << kind << " in " << path;
  return YAML::Node();
}

YAML::Node Container(const YAML::Node& pod_spec, const std::string& name) {
  for (const YAML::Node& container : pod_spec["containers"]) {
    if (container["name"].as<std::string>() == name) return container;
  }
  ADD_FAILURE() << "no container " << name;
  return YAML::Node();
}

GatewayConfig ParseConfigFile(const std::string& path) {
  auto config = ParseConfig(ReadText(path), {});
  EXPECT_TRUE(config.ok()) << path << ": " << config.status();
  return config.ok() ? *config : GatewayConfig();
}

int PortOf(const std::string& listen_address) {
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(listen_address.substr(listen_address.rfind(':') + 1), &port));
  return port;
}

// Every `{file: ...}` secret the configuration reads.
std::vector<std::string> SecretFiles(const GatewayConfig& config) {
  std::vector<std::string> files;
  auto add = [&files](const SecretRef& ref) {
    if (!ref.file.empty()) files.push_back(ref.file);
  };
  add(config.callers);
  for (const auto& [name, refs] : config.webhooks.provider_secrets) {
    for (const auto& ref : refs) add(ref);
  }
  for (const auto& [name, provider] : config.providers) {
    for (const auto& [key, ref] : provider.credentials) add(ref);
  }
  return files;
}

// Mount paths of the gateway container that come from Secret volumes, base plus an overlay's
// Deployment patch (kustomize merges both lists by name).
std::set<std::string> SecretMountPaths(const std::vector<YAML::Node>& pod_specs) {
  std::set<std::string> secret_volumes;
  for (const YAML::Node& spec : pod_specs) {
    for (const YAML::Node& volume : spec["volumes"]) {
      if (volume["secret"]) secret_volumes.insert(volume["name"].as<std::string>());
    }
  }
  std::set<std::string> paths;
  for (const YAML::Node& spec : pod_specs) {
    if (!spec["containers"]) continue;
    for (const YAML::Node& mount : Container(spec, "gateway")["volumeMounts"]) {
      if (!secret_volumes.count(mount["name"].as<std::string>())) continue;
      EXPECT_TRUE(mount["readOnly"] && mount["readOnly"].as<bool>()) << mount;
      // A subPath mount is a copy the kubelet never updates: rotation would need a restart.
      EXPECT_FALSE(mount["subPath"]) << "secret mounted with subPath: " << mount;
      paths.insert(mount["mountPath"].as<std::string>());
    }
  }
  return paths;
}

void ExpectSecretsMounted(const GatewayConfig& config, const std::set<std::string>& mounts,
                          const std::string& what) {
  for (const std::string& file : SecretFiles(config)) {
    bool mounted = false;
    for (const std::string& dir : mounts) {
      if (absl::StartsWith(file, dir + "/")) mounted = true;
    }
    EXPECT_TRUE(mounted) << what << ": " << file << " is not on a Secret mount";
  }
}

void ExpectGraceCoversDrain(const YAML::Node& pod_spec, const GatewayConfig& config,
                            const std::string& what) {
  const absl::Duration grace = absl::Seconds(pod_spec["terminationGracePeriodSeconds"].as<int>());
  // The kubelet's SIGKILL must come after drain + in-flight grace, with room for the last
  // store writes (5 s).
  EXPECT_GE(grace, config.drain_delay + config.shutdown_grace + absl::Seconds(5))
      << what << ": terminationGracePeriodSeconds " << grace << " vs drain " << config.drain_delay
      << " + grace " << config.shutdown_grace;
  // Without a drain delay, pods are cut from endpoints while clients still send to them.
  EXPECT_GE(config.drain_delay, absl::Seconds(2)) << what;
}

TEST(ManifestsTest, EveryYamlDocumentParsesAndKustomizationsNameExistingFiles) {
  int documents = 0;
  for (const auto& entry : fs::recursive_directory_iterator("deploy")) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string path = entry.path().string();
    std::vector<YAML::Node> docs;
    ASSERT_NO_THROW(docs = YAML::LoadAllFromFile(path)) << path;
    for (const YAML::Node& doc : docs) {
      ++documents;
      ASSERT_TRUE(doc.IsMap()) << path;
      if (!doc["kind"]) continue;  // a gateway.yaml (checked by ParseConfig below)
      EXPECT_TRUE(doc["apiVersion"]) << path;
      if (doc["kind"].as<std::string>() == "Kustomization") continue;
      EXPECT_TRUE(doc["metadata"]["name"]) << path;
    }
    if (entry.path().filename() != "kustomization.yaml") continue;
    const fs::path dir = entry.path().parent_path();
    const YAML::Node kustomization = docs.at(0);
    std::vector<std::string> referenced;
    for (const YAML::Node& resource : kustomization["resources"]) {
      referenced.push_back(resource.as<std::string>());
    }
    for (const YAML::Node& patch : kustomization["patches"]) {
      referenced.push_back(patch["path"].as<std::string>());
    }
    for (const YAML::Node& generator : kustomization["configMapGenerator"]) {
      for (const YAML::Node& file : generator["files"])
        referenced.push_back(file.as<std::string>());
    }
    for (const std::string& name : referenced) {
      EXPECT_TRUE(fs::exists(dir / name)) << path << " names missing " << name;
    }
    // Generated secrets are not committed: the overlay's make-secrets.sh must write each one.
    const std::string maker = ReadText((dir / "make-secrets.sh").string());
    for (const YAML::Node& generator : kustomization["secretGenerator"]) {
      for (const YAML::Node& file : generator["files"]) {
        const std::string name = fs::path(file.as<std::string>()).filename().string();
        EXPECT_TRUE(absl::StrContains(maker, name)) << "make-secrets.sh does not write " << name;
      }
    }
  }
  EXPECT_GE(documents, 14);
}

TEST(ManifestsTest, BaseDeploymentProbesResourcesAndSecurity) {
  const YAML::Node deployment = FindKind("deploy/base/deployment.yaml", "Deployment");
  EXPECT_EQ(deployment["spec"]["replicas"].as<int>(), 3);
  const YAML::Node pod = deployment["spec"]["template"]["spec"];
  const YAML::Node gateway = Container(pod, "gateway");
  const GatewayConfig config = ParseConfigFile("deploy/base/gateway.yaml");

  // Probes: native gRPC on the serving port, readiness and liveness on the names the server sets
  // (readiness drops at SIGTERM, liveness does not).
  const int grpc_port = PortOf(config.listen_address);
  EXPECT_EQ(gateway["readinessProbe"]["grpc"]["service"].as<std::string>(), kReadinessService);
  EXPECT_EQ(gateway["livenessProbe"]["grpc"]["service"].as<std::string>(), kLivenessService);
  EXPECT_STRNE(kReadinessService, kLivenessService);
  for (const char* probe : {"readinessProbe", "livenessProbe", "startupProbe"}) {
    EXPECT_EQ(gateway[probe]["grpc"]["port"].as<int>(), grpc_port) << probe;
  }
  std::map<std::string, int> ports;
  for (const YAML::Node& port : gateway["ports"]) {
    ports[port["name"].as<std::string>()] = port["containerPort"].as<int>();
  }
  EXPECT_EQ(ports["grpc"], grpc_port);
  EXPECT_EQ(ports["webhooks"], PortOf(config.webhooks.listen_address));
  EXPECT_EQ(ports["metrics"], PortOf(config.admin_listen_address));
  const YAML::Node annotations = deployment["spec"]["template"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["prometheus.io/port"].as<int>(), ports["metrics"]);

  for (const char* bound : {"requests", "limits"}) {
    EXPECT_TRUE(gateway["resources"][bound]["cpu"]) << bound;
    EXPECT_TRUE(gateway["resources"][bound]["memory"]) << bound;
  }

  EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>());
  EXPECT_GT(pod["securityContext"]["runAsUser"].as<int>(), 0);
  const YAML::Node security = gateway["securityContext"];
  EXPECT_TRUE(security["readOnlyRootFilesystem"].as<bool>());
  EXPECT_FALSE(security["allowPrivilegeEscalation"].as<bool>());
  EXPECT_EQ(security["capabilities"]["drop"][0].as<std::string>(), "ALL");
  // The image's user is the one the pod asks for.
  EXPECT_THAT(ReadText("deploy/Dockerfile"),
              testing::HasSubstr("USER " + pod["securityContext"]["runAsUser"].as<std::string>()));

  ExpectGraceCoversDrain(pod, config, "base");
  ExpectSecretsMounted(config, SecretMountPaths({pod}), "base");
  EXPECT_FALSE(config.callers.file.empty()) << "callers must authenticate in the cluster";

  // The PostgreSQL URL (with its password) comes from a Secret, not the ConfigMap.
  bool store_from_secret = false;
  for (const YAML::Node& env : gateway["env"]) {
    if (env["name"].as<std::string>() == "GATEWAY_STORE__URL") {
      store_from_secret = static_cast<bool>(env["valueFrom"]["secretKeyRef"]);
    }
  }
  EXPECT_TRUE(store_from_secret);
}

TEST(ManifestsTest, ServicePdbAndHpaMatchTheDeployment) {
  const YAML::Node deployment = FindKind("deploy/base/deployment.yaml", "Deployment");
  const YAML::Node labels = deployment["spec"]["template"]["metadata"]["labels"];
  const int replicas = deployment["spec"]["replicas"].as<int>();
  auto selects_pods = [&labels](const YAML::Node& selector) {
    for (const auto& pair : selector) {
      const std::string key = pair.first.as<std::string>();
      if (!labels[key] || labels[key].as<std::string>() != pair.second.as<std::string>()) {
        return false;
      }
    }
    return selector.size() > 0;
  };
  EXPECT_TRUE(selects_pods(deployment["spec"]["selector"]["matchLabels"]));

  const YAML::Node pdb = FindKind("deploy/base/pdb.yaml", "PodDisruptionBudget");
  EXPECT_TRUE(selects_pods(pdb["spec"]["selector"]["matchLabels"]));
  const int min_available = pdb["spec"]["minAvailable"].as<int>();
  EXPECT_GE(min_available, 2);         // a quorum stays up through node drains
  EXPECT_LT(min_available, replicas);  // ... and drains can still proceed

  const YAML::Node hpa = FindKind("deploy/base/hpa.yaml", "HorizontalPodAutoscaler");
  EXPECT_EQ(hpa["spec"]["scaleTargetRef"]["kind"].as<std::string>(), "Deployment");
  EXPECT_EQ(hpa["spec"]["scaleTargetRef"]["name"].as<std::string>(),
            deployment["metadata"]["name"].as<std::string>());
  EXPECT_GE(hpa["spec"]["minReplicas"].as<int>(), replicas);
  EXPECT_GT(hpa["spec"]["maxReplicas"].as<int>(), hpa["spec"]["minReplicas"].as<int>());

  std::set<std::string> container_ports;
  for (const YAML::Node& port :
       Container(deployment["spec"]["template"]["spec"], "gateway")["ports"]) {
    container_ports.insert(port["name"].as<std::string>());
  }
  int services = 0;
  for (const YAML::Node& service : YAML::LoadAllFromFile("deploy/base/service.yaml")) {
    ++services;
    EXPECT_TRUE(selects_pods(service["spec"]["selector"]));
    for (const YAML::Node& port : service["spec"]["ports"]) {
      EXPECT_TRUE(container_ports.count(port["targetPort"].as<std::string>())) << port;
    }
  }
  std::set<std::string> service_ports;
  for (const YAML::Node& port : FindKind("deploy/base/service.yaml", "Service")["spec"]["ports"]) {
    service_ports.insert(port["name"].as<std::string>());
  }
  EXPECT_EQ(service_ports, (std::set<std::string>{"grpc", "webhooks"}));
  EXPECT_EQ(services, 2);
}

TEST(ManifestsTest, ProductionOverlayIsLiveWithSystemTrustAndDocumentedSecrets) {
  const GatewayConfig config = ParseConfigFile("deploy/overlays/production/gateway.yaml");
  const YAML::Node base_pod =
      FindKind("deploy/base/deployment.yaml", "Deployment")["spec"]["template"]["spec"];
  const YAML::Node patch_pod = FindKind("deploy/overlays/production/deployment-patch.yaml",
                                        "Deployment")["spec"]["template"]["spec"];
  ASSERT_FALSE(patch_pod["terminationGracePeriodSeconds"]);  // the base's applies
  ExpectGraceCoversDrain(base_pod, config, "production");
  ExpectSecretsMounted(config, SecretMountPaths({base_pod, patch_pod}), "production");

  EXPECT_EQ(config.providers.at("fintoc").options.at("mode"), "live");
  for (const auto& [name, provider] : config.providers) {
    EXPECT_TRUE(provider.enabled) << name;
    EXPECT_TRUE(provider.ca_file.empty()) << name << ": production trusts the system store";
    EXPECT_TRUE(absl::StartsWith(provider.base_url, "https://")) << name;
    EXPECT_FALSE(absl::StrContains(provider.base_url, "127.0.0.1")) << name;
  }
  EXPECT_TRUE(absl::StartsWith(config.webhooks.public_url, "https://"));

  // Production Secrets come from the secret manager; the doc must tell operators each one.
  const std::string doc = ReadText("docs/deploy.md");
  for (const YAML::Node& volume : base_pod["volumes"]) {
    if (!volume["secret"]) continue;
    EXPECT_THAT(doc, testing::HasSubstr(volume["secret"]["secretName"].as<std::string>()));
  }
  EXPECT_THAT(doc, testing::HasSubstr("payouts-gateway-postgres"));
  // Plaintext gRPC with caller tokens is an explicit, documented choice (a mesh does mTLS), and
  // the PostgreSQL URL operators are told to use is one the gateway accepts.
  EXPECT_TRUE(config.allow_plaintext);
  EXPECT_THAT(doc, testing::HasSubstr("server.allow_plaintext"));
  EXPECT_THAT(doc, testing::HasSubstr("?sslmode=verify-full"));
  EXPECT_FALSE(config.store_allow_plaintext);
}

TEST(ManifestsTest, SandboxOverlayGeneratesEverySecretItMounts) {
  const GatewayConfig config = ParseConfigFile("deploy/overlays/sandbox/gateway.yaml");
  const YAML::Node base_pod =
      FindKind("deploy/base/deployment.yaml", "Deployment")["spec"]["template"]["spec"];
  const YAML::Node patch = FindKind("deploy/overlays/sandbox/deployment-patch.yaml", "Deployment");
  const YAML::Node patch_pod = patch["spec"]["template"]["spec"];
  ExpectGraceCoversDrain(base_pod, config, "sandbox");
  ExpectSecretsMounted(config, SecretMountPaths({base_pod, patch_pod}), "sandbox");
  EXPECT_EQ(patch["spec"]["replicas"].as<int>(), 1);  // SQLite: one writer

  std::set<std::string> generated;
  for (const YAML::Node& generator :
       YAML::LoadFile("deploy/overlays/sandbox/kustomization.yaml")["secretGenerator"]) {
    generated.insert(generator["name"].as<std::string>());
  }
  for (const YAML::Node& pod : {base_pod, patch_pod}) {
    for (const YAML::Node& volume : pod["volumes"]) {
      if (!volume["secret"]) continue;
      EXPECT_TRUE(generated.count(volume["secret"]["secretName"].as<std::string>())) << volume;
    }
  }
  EXPECT_TRUE(generated.count("payouts-gateway-postgres"));

  // The simulators' sidecar starts first and the gateway trusts the CA it writes.
  const YAML::Node sandbox = patch_pod["initContainers"][0];
  EXPECT_EQ(sandbox["restartPolicy"].as<std::string>(), "Always");
  bool writes_ca = false;
  for (const YAML::Node& arg : sandbox["args"]) {
    if (arg.as<std::string>() == "--ca_out=" + config.providers.at("monato").ca_file) {
      writes_ca = true;
    }
  }
  EXPECT_TRUE(writes_ca);
  EXPECT_TRUE(sandbox["securityContext"]["readOnlyRootFilesystem"].as<bool>());
}

}  // namespace
}  // namespace gateway

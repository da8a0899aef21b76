import Glibc
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore
import PortcullisTLS

/// Why `validate` refused a configuration: the same diagnostics a failed reload reports.
public struct ValidationFailure: Error, CustomStringConvertible {
    /// `FILE:LINE: KEY: message` lines.
    public let diagnostics: [String]
    public var description: String { self.diagnostics.joined(separator: "\n") }
}

extension ControlPlane {
    /// `portcullis validate`: the build `run` performs at start (certificates, contexts, policies,
    /// routes, upstream resolution, access-log and listener TLS set-up), against a store that is
    /// never written and without binding a port. Passing means `run` starts with this file.
    public static func validate(configPath: String) throws {
        do {
            let config = try ConfigLoader.load(path: configPath, options: Self.loaderOptions)
            let inputs = ServingBuild.Inputs(
                store: CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir)),
                registry: CertificateRegistry(), generation: 1, workers: Self.workerCount(config),
                cache: SiteContextCache(), changed: nil, accessLogs: AccessLogFiles(), dryRun: true)
            let built = try ServingBuild.build(config: config, inputs: inputs)
            let holder = CertSnapshotHolder(built.routes.certificates)
            for (index, policy) in built.listenerPolicies {
                let listener = config.listeners[index]
                _ = try FrontTLSContext(
                    holder: holder, defaultCertificateID: listener.defaultCertificate.map { inputs.registry.id(for: $0) },
                    policy: policy, listenerIndex: index)
            }
            if !built.prepared.unsaved.isEmpty { try Self.checkWritable(stateDir: config.server.stateDir, config: config) }
        } catch let error as ValidationFailure {
            throw error
        } catch {
            throw ValidationFailure(diagnostics: Self.diagnostics(error))
        }
    }

    /// `run` saves generated certificates under `state_dir`: it (or its nearest existing parent) must
    /// be writable.
    private static func checkWritable(stateDir: String, config: ProxyConfig) throws {
        var path = stateDir
        while access(path, F_OK) != 0, let slash = path.lastIndex(of: "/") {
            path = slash == path.startIndex ? "/" : String(path[..<slash])
        }
        if access(path, F_OK) != 0 { path = "." }
        guard access(path, W_OK) == 0 else {
            throw ValidationFailure(diagnostics: [
                ConfigError(
                    file: config.sourcePath, line: 0, key: "[server].state_dir",
                    message: "\(path) is not writable; generated certificates cannot be saved").description
            ])
        }
    }
}

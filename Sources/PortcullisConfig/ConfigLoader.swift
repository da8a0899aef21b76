#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads and validates `proxy.conf` (TOML) into a `ProxyConfig`.
///
/// Every problem is collected, not just the first: a file with a typo in `[server]` and a bad host in a
/// `[[site]]` reports both, each as `FILE:LINE: KEY: message`. The only early stop is a TOML syntax
/// error, after which there is no document to check.
public enum ConfigLoader {
    /// Caller-supplied context for loading.
    public struct Options: Sendable {
        /// Security policy names that `[tls] default_policy` and every `policy` key may use; nil accepts any
        /// non-empty name. The hook for the security-policy presets, which live in PortcullisTLS.
        public var knownPolicies: Set<String>?
        /// Folder a relative config path is resolved against; nil means the process's working directory.
        public var workingDirectory: String?

        /// Creates options; the defaults accept any policy name and use the working directory.
        public init(knownPolicies: Set<String>? = nil, workingDirectory: String? = nil) {
            self.knownPolicies = knownPolicies
            self.workingDirectory = workingDirectory
        }
    }

    /// Reads the file at `path` and validates it; errors name `path` exactly as given.
    public static func load(path: String, options: Options = Options()) throws(ConfigErrors) -> ProxyConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigErrors([ConfigError(file: path, line: 0, key: "", message: Self.readFailure(error))])
        }
        return try self.parse(text: text, path: path, options: options)
    }

    /// Validates configuration `text` as if read from `path` (used for messages and relative paths).
    public static func parse(text: String, path: String, options: Options = Options()) throws(ConfigErrors)
        -> ProxyConfig
    {
        let diagnostics = Diagnostics(file: path, locator: KeyLocator(text: text))
        let root: [String: TOMLNode]
        if let problem = TOMLHeaderCheck.firstProblem(in: text) {
            diagnostics.report("invalid TOML: \(problem.message)", line: problem.line)
            throw ConfigErrors(diagnostics.sortedErrors)
        }
        do {
            root = try TOMLNode.parse(text)
        } catch {
            diagnostics.report("invalid TOML: \(error.message)", line: error.line)
            throw ConfigErrors(diagnostics.sortedErrors)
        }
        // `[[policy]]` names are valid wherever a policy is named, alongside the caller's known names.
        var options = options
        options.knownPolicies?.formUnion(ConfigDecoder.customPolicyNames(root))
        let workingDirectory = options.workingDirectory ?? FileManager.default.currentDirectoryPath
        let decoder = ConfigDecoder(
            diagnostics: diagnostics, options: options,
            baseDirectory: PathResolution.directory(ofConfig: path, workingDirectory: workingDirectory))
        let config = decoder.decode(root, sourcePath: path)
        guard let config, diagnostics.errors.isEmpty else { throw ConfigErrors(diagnostics.sortedErrors) }
        return config
    }

    /// A short reason for a failed read, without Foundation's long English sentences where avoidable.
    private static func readFailure(_ error: any Error) -> String {
        switch (error as? CocoaError)?.code {
        case .fileReadNoSuchFile?, .fileNoSuchFile?: return "reading the configuration: no such file"
        case .fileReadNoPermission?: return "reading the configuration: permission denied"
        case .fileReadInapplicableStringEncoding?: return "reading the configuration: the file is not UTF-8 text"
        default: return "reading the configuration: \(error)"
        }
    }
}

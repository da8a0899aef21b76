@testable import PortcullisConfig

/// Small documents and helpers shared by the config tests.
enum Fixtures {
    /// A valid listener and site: six lines, appended after a section under test.
    static let listenerAndSite = """
        [[listener]]
        bind = "127.0.0.1:8443"
        tls = true
        [[site]]
        hosts = ["localhost"]
        respond = "ok"
        """

    /// Options that resolve relative paths against a fixed folder, independent of the test's cwd.
    static let options = ConfigLoader.Options(workingDirectory: "/srv/portcullis")

    /// Parses `text` as `proxy.conf`, returning the errors (empty when it loaded).
    static func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try ConfigLoader.parse(text: text, path: "proxy.conf", options: Self.options)
            return []
        } catch {
            return error.errors
        }
    }

    /// Absolute path of the shipped `proxy.conf` at the package root.
    static var shippedConfigPath: String {
        let file = "\(#filePath)"
        let testsFolder = file.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + testsFolder + "/proxy.conf"
    }
}

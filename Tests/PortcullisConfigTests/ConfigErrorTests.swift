import Testing

@testable import PortcullisConfig

/// Each class of configuration error is reported on the right line, under the right key, in words.
@Suite struct ConfigErrorTests {
    /// The table in `ConfigErrorCase`: the expected error is among those reported.
    @Test(arguments: ConfigErrorCase.all)
    func reportsErrorWithLineAndKey(_ row: ConfigErrorCase) {
        let errors = Fixtures.errors(row.text)
        let match = errors.first { $0.line == row.line && $0.key == row.key && $0.message.contains(row.fragment) }
        #expect(match != nil, "got: \(errors.map(\.description))")
        let prefix = row.key.isEmpty ? "proxy.conf:\(row.line): " : "proxy.conf:\(row.line): \(row.key): "
        #expect(match?.description.hasPrefix(prefix) == true)
    }

    /// All problems are reported in one pass, ordered by line.
    @Test func collectsEveryErrorInLineOrder() {
        let text = """
            [server]
            workers = "many"
            idle_timeout = "forever"
            [[listener]]
            bind = "127.0.0.1:99999"
            tls = true
            [[site]]
            hosts = ["ok.example", "bad_host"]
            """
        let errors = Fixtures.errors(text)
        #expect(errors.map(\.line) == [2, 3, 5, 7, 8])
        #expect(errors.map(\.key) == [
            "[server].workers", "[server].idle_timeout", "[[listener]].bind", "[[site]]", "[[site]].hosts",
        ])
    }

    /// The example sentence from the style guide, verbatim.
    @Test func styleGuideExample() {
        let text = "[[listener]]\nbind = \"127.0.0.1:1\"\ntls = true\n" + String(repeating: "\n", count: 9)
            + "[[site]]\nhosts = \"localhost\"\nrespond = \"\""
        let errors = Fixtures.errors(text)
        #expect(errors.map(\.description) == [
            "proxy.conf:14: [[site]].hosts: expected an array of host names, found a string",
        ])
    }

    /// `ConfigErrors.description` is one `FILE:LINE: KEY: message` line per error.
    @Test func errorsDescriptionIsOneLinePerError() {
        let errors = ConfigErrors([
            ConfigError(file: "a.conf", line: 3, key: "[server].workers", message: "bad"),
            ConfigError(file: "a.conf", line: 0, key: "", message: "unreadable"),
        ])
        #expect(errors.description == "a.conf:3: [server].workers: bad\na.conf: unreadable")
    }

    /// An unreadable file is one error naming the path as given.
    @Test func missingFileIsReported() {
        let path = "/nonexistent/proxy.conf"
        let message = "reading the configuration: no such file"
        #expect(throws: ConfigErrors([ConfigError(file: path, line: 0, key: "", message: message)])) {
            try ConfigLoader.load(path: path)
        }
    }

    /// Policy names are checked once the caller supplies the known presets.
    @Test func unknownPolicyWithKnownList() {
        let text = "[tls]\ndefault_policy = \"legacy\"\n" + Fixtures.listenerAndSite
        let options = ConfigLoader.Options(knownPolicies: ["modern", "mozilla-intermediate"])
        #expect(throws: ConfigErrors.self) { try ConfigLoader.parse(text: text, path: "p", options: options) }
        #expect(Fixtures.errors(text).isEmpty)
    }
}

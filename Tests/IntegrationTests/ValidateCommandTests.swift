import Foundation
import Testing
import TestSupport

/// `portcullis validate --config FILE`: exit 0 with `FILE: configuration OK`, or exit 1 with one
/// `FILE:LINE: KEY: message` line per error (CONTRACTS: CLI).
@Suite struct ValidateCommandTests {
    @Test func validConfigExitsZero() async throws {
        let text = ProxyConfigSpec(sites: [.respond(["ok.test"], "ok\n")]).render()
        let result = try await ProxyUnderTest.validate(configText: text)
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.output.contains("\(result.configPath): configuration OK"))
    }

    @Test func brokenConfigNamesFileLineAndKey() async throws {
        let text = """
            [server]
            state_dir = "state"
            wokers = 2
            [[listener]]
            bind = "127.0.0.1:0"
            tls = true
            [[site]]
            hosts = ["a.test"]
            respond = "a"
            [[site]]
            hosts = ["b.test"]
            respond = 5

            """
        let result = try await ProxyUnderTest.validate(configText: text)
        #expect(result.exitCode == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        let path = result.configPath
        #expect(lines.contains { $0.hasPrefix("\(path):3: ") && $0.contains("wokers: ") }, "unknown key on line 3: \(lines)")
        #expect(lines.contains { $0.hasPrefix("\(path):12: ") && $0.contains("respond: ") }, "wrong type on line 12: \(lines)")
    }

    @Test func duplicateHostAndBadAddress() async throws {
        let text = """
            [server]
            state_dir = "state"
            [[listener]]
            bind = "127.0.0.1:99999"
            tls = true
            [[site]]
            hosts = ["dup.test"]
            respond = "a"
            [[site]]
            hosts = ["dup.test"]
            upstreams = ["not an address"]

            """
        let result = try await ProxyUnderTest.validate(configText: text)
        #expect(result.exitCode == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        let path = result.configPath
        #expect(lines.contains { $0.hasPrefix("\(path):4: ") && $0.contains("bind: ") }, "bad port on line 4: \(lines)")
        #expect(lines.contains { $0.hasPrefix("\(path):10: ") && $0.contains("hosts: ") }, "duplicate host on line 10: \(lines)")
        #expect(lines.contains { $0.hasPrefix("\(path):11: ") && $0.contains("upstreams: ") }, "bad upstream on line 11: \(lines)")
    }
}

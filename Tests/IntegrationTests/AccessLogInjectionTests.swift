import Foundation
import Testing
import TestSupport

/// No client byte can break an access log line: a hostile SNI is refused at the ClientHello, every JSON
/// field is escaped (quotes, backslashes, controls, non-UTF-8 bytes), and a line never exceeds 8 KiB.
@Suite struct AccessLogInjectionTests {
    static func start(format: String) async throws -> ProxyUnderTest {
        try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["access_log_format": "\"\(format)\""], sites: [.respond(["log.test"], "logged\n")]))
    }

    /// Every access log line parses as a JSON object.
    static func expectValidJSONLines(_ proxy: ProxyUnderTest, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in proxy.process.stdoutBytes.split(separator: UInt8(ascii: "\n")) {
            let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
        }
    }

    @Test func hostileSNIIsRefusedAndNeverLogged() async throws {
        let proxy = try await Self.start(format: "json")
        defer { proxy.kill() }
        for name in ["evil\",\"status\":1,\"x\":\"", "back\\slash", "ctl\u{01}byte"] {
            let session = try TLSSession(port: proxy.httpsPort, serverName: name)
            defer { session.close() }
            try? session.send("GET /hostile HTTP/1.1\r\nHost: log.test\r\n\r\n")
            try await session.waitForClose(within: 10)
            #expect(HTTPResponse.parse(session.received) == nil, "a handshake with SNI \(name.debugDescription) was served")
        }
        let normal = try await Curl.https(host: "log.test", port: proxy.httpsPort, path: "/after")
        #expect(normal.status == 200)
        _ = try await eventuallyValue(within: 5, "access log line") { proxy.accessLogLines.first { $0.contains("/after") } }
        #expect(!proxy.accessLog.contains("/hostile"))
        Self.expectValidJSONLines(proxy)
    }

    @Test func hostileRequestBytesStayInsideTheirJSONStrings() async throws {
        let proxy = try await Self.start(format: "json")
        defer { proxy.kill() }
        var request = Array("GET /q?a=\"x\\y HTTP/1.1\r\nHost: log.test\r\nUser-Agent: \"quoted\" back\\slash tab\tend ".utf8)
        request += [0xFF, 0xC3, 0x28, 0x80] + Array(" \u{00FC}\r\n\r\n".utf8)
        let response = try await TLSProbe.exchange(port: proxy.httpsPort, serverName: "log.test", send: request)
        #expect(response.status == 200)
        let line = try await eventuallyValue(within: 5, "access log line") { proxy.accessLogLines.first { $0.contains("/q?") } }
        Self.expectValidJSONLines(proxy)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["user_agent"] as? String)?.hasPrefix("\"quoted\" back\\slash tab\tend ") == true)
        #expect(object["target"] as? String == "/q?a=\"x\\y")
        #expect(object["status"] as? Int == 200)
    }

    @Test func linesAreCappedAt8KiB() async throws {
        let proxy = try await Self.start(format: "combined")
        defer { proxy.kill() }
        // Tabs are legal inside a field value and escape to 4 bytes each in the text formats.
        let padded = "a" + String(repeating: "\t", count: 3000) + "b"
        let response = try await TLSProbe.exchange(
            port: proxy.httpsPort, serverName: "log.test",
            send: "GET /long HTTP/1.1\r\nHost: log.test\r\nUser-Agent: \(padded)\r\nReferer: \(padded)\r\n\r\n")
        #expect(response.status == 200)
        let line = try await eventuallyValue(within: 5, "access log line") { proxy.accessLogLines.first { $0.contains("/long") } }
        #expect(line.utf8.count + 1 <= 8192, "line of \(line.utf8.count) bytes")
        #expect(line.hasSuffix("\\x09...\""), "a cut field is marked: \(line.suffix(40))")
    }
}

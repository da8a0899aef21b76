import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Access logs never block a worker (issue 14 item 12): with the log destination a FIFO whose reader
/// stopped reading (a stalled log shipper), requests are still served at once, the lines that do not
/// fit are dropped and counted (`portcullis_access_log_dropped_total`), the control thread logs the
/// drops, and logging resumes once the reader drains the pipe. Both for `access_log = "stdout"` with
/// stdout being that FIFO (the proxy reopens it non-blocking) and for a FIFO given as the log path.
@Suite struct AccessLogBackpressureTests {
    /// Linux's F_SETPIPE_SZ (fcntl.h, _GNU_SOURCE), not exported by Glibc's Swift module.
    static let setPipeSize: Int32 = 1031

    @Test(arguments: ["stdout", "fifo"])
    func stalledLogReaderNeverBlocksRequests(_ destination: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/access.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader exists (so opening for writing succeeds) but never reads; its pipe holds one page.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        #expect(reader >= 0)
        defer { close(reader) }
        _ = fcntl(reader, Self.setPipeSize, 4096)

        var spec = ProxyConfigSpec(
            server: ["workers": "1", "access_log": destination == "stdout" ? "\"stdout\"" : toml(fifo)],
            listeners: [.https()], sites: [.respond(["log.test"], "ok\n")])
        spec.trailer = ["[admin]", "bind = \"127.0.0.1:0\""]
        let proxy = try await ProxyUnderTest.start(spec, stdoutPath: destination == "stdout" ? fifo : nil)
        defer { proxy.kill() }

        // Each line carries a 1 KiB User-Agent, so four lines fill the pipe; 20 requests overflow it.
        let agent = String(repeating: "a", count: 1024)
        for index in 0..<20 {
            let response = try await Curl.https(host: "log.test", port: proxy.httpsPort, path: "/\(index)", ["-A", agent], within: 5)
            #expect(response.status == 200, "request \(index) with the log pipe full")
        }
        let admin = try AdminClient(proxy)
        let dropped = try await Self.droppedLines(admin)
        #expect(dropped >= 10, "portcullis_access_log_dropped_total = \(dropped)")
        try await proxy.waitForLog("access log lines dropped", within: 10)

        // Once the reader catches up, lines are written again, whole.
        var drained = [UInt8](repeating: 0, count: 65536)
        while read(reader, &drained, drained.count) > 0 {}
        #expect(try await Curl.https(host: "log.test", port: proxy.httpsPort, path: "/after", within: 5).status == 200)
        let line = try await eventuallyValue(within: 10, "a log line after the pipe drained") { () -> String? in
            let n = read(reader, &drained, drained.count)
            return n > 0 ? String(decoding: drained[0..<n], as: UTF8.self) : nil
        }
        #expect(line.contains("\"GET /after HTTP/1.1\" 200"), "\(line)")
        #expect(line.hasSuffix("\n") && line.split(separator: "\n").count == 1, "one whole line: \(line)")
    }

    /// `portcullis_access_log_dropped_total` from `/metrics`.
    static func droppedLines(_ admin: AdminClient) async throws -> Int {
        let text = try await admin.request("GET", "/metrics").bodyText
        let sample = text.split(separator: "\n").first { $0.hasPrefix("portcullis_access_log_dropped_total ") }
        return Int(Double(sample?.split(separator: " ").last ?? "") ?? -1)
    }
}

import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A client pipelines 5,000 requests (40 MB, each answered by an 8 KB redirect) without reading the
/// answers. The proxy answers them in order but stops reading once the unread answers fill its output
/// window, so its memory stays bounded; once the client reads, every request is answered.
@Suite struct PipelineFloodTests {
    static let count = 5000
    static let request = Array("GET /\(String(repeating: "p", count: 7900)) HTTP/1.1\r\nHost: p.test\r\n\r\n".utf8)

    @Test(.timeLimit(.minutes(1)))
    func pipelinedFloodIsServedWithBoundedMemory() async throws {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1"], sites: [.respond(["p.test"], "ok\n")]))
        defer { proxy.kill() }
        let single = try await Curl.http(host: "p.test", port: proxy.httpPort, path: "/" + String(repeating: "p", count: 7900))
        #expect(single.status == 301)
        let baseline = try proxy.memory()

        let fd = try #require(LoopbackSocket.connect(port: proxy.httpPort))
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var all: [UInt8] = []
        all.reserveCapacity(Self.count * Self.request.count)
        for _ in 0..<Self.count { all += Self.request }
        var sent = 0
        // Push without reading until the proxy stops taking bytes for a second (or all are sent).
        var lastProgress = ContinuousClock.now
        while sent < all.count, ContinuousClock.now - lastProgress < .seconds(1) {
            let n = all.withUnsafeBytes { send(fd, $0.baseAddress! + sent, all.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
                lastProgress = .now
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let flooded = try proxy.memory()
        let growth = flooded.rssKiB - baseline.rssKiB
        #expect(growth < 12 * 1024, "RSS grew \(growth) KiB with \(sent) bytes of requests taken and no answer read")

        let received = try await Self.readAnswers(fd, all: all, sent: &sent)
        let answer = try #require(HTTPResponse.parse(received.first)?.1)
        #expect(received.total == Self.count * answer, "every pipelined request answered, in \(answer)-byte answers")
    }

    /// Sends the rest and reads every answer; returns the first bytes and the total received.
    static func readAnswers(_ fd: Int32, all: [UInt8], sent: inout Int) async throws -> (first: [UInt8], total: Int) {
        var first: [UInt8] = []
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let deadline = Deadline(seconds: 40)
        var expected = Int.max
        while total < expected, !deadline.hasPassed {
            if sent < all.count {
                let n = all.withUnsafeBytes { send(fd, $0.baseAddress! + sent, all.count - sent, Int32(MSG_NOSIGNAL)) }
                if n > 0 { sent += n }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                total += n
                if first.count < 65536 { first += buffer[0..<min(n, 65536 - first.count)] }
                if expected == .max, let one = HTTPResponse.parse(first)?.1 { expected = one * Self.count }
            } else if n == 0 {
                break
            } else {
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        return (first, total)
    }
}

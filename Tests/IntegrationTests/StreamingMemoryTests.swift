import Foundation
import Testing
import TestSupport

/// 50 MiB through the proxy in each direction, checked byte for byte, while the proxy's peak RSS
/// (VmHWM) grows by far less than the body: bodies stream with backpressure and are never buffered.
@Suite struct StreamingMemoryTests {
    /// ASan's quarantine keeps freed memory resident, so VmHWM no longer measures buffering.
    static let notUnderASan = ConditionTrait.disabled(if: SanitizerRun.address, "VmHWM is meaningless under ASan")
    static let size = 50 * 1024 * 1024
    static let maxGrowthKiB = 32 * 1024

    @Test(.timeLimit(.minutes(2)), Self.notUnderASan)
    func fiftyMebibytesUpAndDownWithBoundedMemory() async throws {
        let upstream = try TestUpstream(name: "bulk")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["bulk.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // Warm up (TLS contexts, pools, allocator arenas) before the baseline.
        let warm = try await Curl.https(host: "bulk.test", port: proxy.httpsPort, path: "/bytes?n=1000000", ["-o", "/dev/null"])
        #expect(warm.status == 200)
        let baseline = try proxy.memory()

        let download = try await Curl.run(
            ["--resolve", "bulk.test:\(proxy.httpsPort):127.0.0.1", "https://bulk.test:\(proxy.httpsPort)/bytes?n=\(Self.size)"],
            bodyFile: dir + "/down", within: 60)
        #expect(download.status == 200)
        let downloaded = try Pattern.checkFile(dir + "/down")
        #expect(downloaded.size == Self.size)
        #expect(downloaded.matches, "downloaded bytes differ from what the upstream sent")
        try? FileManager.default.removeItem(atPath: dir + "/down")

        try Pattern.writeFile(dir + "/up", count: Self.size)
        let upload = try await Curl.https(
            host: "bulk.test", port: proxy.httpsPort, path: "/upload",
            ["-T", dir + "/up", "-X", "POST", "-H", "Expect:"], within: 60)
        #expect(upload.status == 200)
        #expect(upload.bodyText == "bytes=\(Self.size) pattern=ok\n")

        let after = try proxy.memory()
        let growth = after.hwmKiB - baseline.hwmKiB
        #expect(growth < Self.maxGrowthKiB, "VmHWM grew \(growth) KiB (baseline \(baseline.hwmKiB) KiB, now \(after.hwmKiB) KiB)")
    }

    /// A client reading at 12 MiB/s from an upstream that can send far faster: the proxy must stop
    /// reading the upstream (watermarks) instead of queueing the difference in memory.
    @Test(.timeLimit(.minutes(1)), Self.notUnderASan)
    func slowClientDoesNotMakeTheProxyBuffer() async throws {
        let upstream = try TestUpstream(name: "fast")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.proxy(["bulk.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        let warm = try await Curl.https(host: "bulk.test", port: proxy.httpsPort, path: "/bytes?n=1000000", ["-o", "/dev/null"])
        #expect(warm.status == 200)
        let baseline = try proxy.memory()

        let count = 24 * 1024 * 1024
        let slow = try await Curl.https(
            host: "bulk.test", port: proxy.httpsPort, path: "/bytes?n=\(count)", ["-o", "/dev/null", "--limit-rate", "12M"], within: 30)
        #expect(slow.status == 200)
        #expect(slow.transfers.last?.bytes == count)
        let growth = try proxy.memory().hwmKiB - baseline.hwmKiB
        #expect(growth < 8 * 1024, "VmHWM grew \(growth) KiB while the client read slowly")
    }
}

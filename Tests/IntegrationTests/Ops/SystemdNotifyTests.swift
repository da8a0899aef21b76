import Foundation
import Glibc
import Testing
import TestSupport

/// `Type=notify`: started with `NOTIFY_SOCKET`, the proxy sends `READY=1` once it listens, and
/// `RELOADING=1` then `READY=1` around a SIGHUP reload.
@Suite struct SystemdNotifyTests {
    @Test func readyAfterListeningAndReloadingAroundSIGHUP() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socketPath = dir + "/notify.sock"
        let fd = try Self.bindDatagramSocket(socketPath)
        defer { close(fd) }
        let config = dir + "/proxy.conf", ready = dir + "/ready.json"
        try ProxyConfigSpec(sites: [.respond(["n.test"], "ok\n")]).render().write(toFile: config, atomically: true, encoding: .utf8)
        let child = try ChildProcess(
            "/usr/bin/env", ["NOTIFY_SOCKET=\(socketPath)", try ProxyUnderTest.binary(), "run", "--config", config, "--ready-file", ready])
        defer { child.kill() }
        var messages: [String] = []
        try await eventually(within: 20, "READY=1") {
            messages += Self.receive(fd)
            return messages.contains { $0.contains("READY=1") }
        }
        // READY=1 comes after the listeners: the ready file (written once they are bound) exists.
        #expect(FileManager.default.fileExists(atPath: ready))
        let port = try #require(ProxyUnderTest.readReady(ready)?.listeners.first?.port)
        let response = try await Curl.https(host: "n.test", port: port)
        #expect(response.bodyText == "ok\n")
        messages.removeAll()
        child.signal(SIGHUP)
        try await eventually(within: 10, "RELOADING=1 then READY=1") {
            messages += Self.receive(fd)
            guard let reloading = messages.firstIndex(where: { $0.contains("RELOADING=1") }) else { return false }
            return messages[(reloading + 1)...].contains { $0.contains("READY=1") }
        }
    }

    static func bindDatagramSocket(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, status == 0 else { throw HarnessError("cannot bind \(path): errno \(errno)") }
        return fd
    }

    static func receive(_ fd: Int32) -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return messages }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }
}

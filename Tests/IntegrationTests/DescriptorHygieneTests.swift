import Foundation
import Testing
import TestSupport

/// Every socket the proxy holds (listeners, accepted clients, upstreams) is close-on-exec, so no child
/// process inherits one; the ready file's temp file is never written through a planted symlink.
@Suite struct DescriptorHygieneTests {
    /// Inodes of the TCP sockets in /proc/PID/net/tcp (the proxy's own; a unix socket the test runner
    /// leaked into the child at spawn is not the proxy's doing).
    static func tcpInodes(pid: Int32) throws -> Set<String> {
        // Read to EOF by hand: proc files report size 0, and the table can be long.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(pid)/net/tcp"))
        defer { try? handle.close() }
        var data = Data()
        while let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty { data.append(chunk) }
        let table = String(decoding: data, as: UTF8.self)
        return Set(table.split(separator: "\n").dropFirst().compactMap { row in
            let columns = row.split(separator: " ", omittingEmptySubsequences: true)
            return columns.count > 9 ? String(columns[9]) : nil
        })
    }

    /// fd numbers of the TCP sockets in /proc/PID/fd whose fdinfo flags lack O_CLOEXEC (octal 02000000).
    static func inheritableSockets(pid: Int32) throws -> (sockets: Int, inheritable: [Int]) {
        let dir = "/proc/\(pid)/fd"
        let tcp = try Self.tcpInodes(pid: pid)
        var sockets = 0, inheritable: [Int] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            guard let fd = Int(name), let target = try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + name),
                target.hasPrefix("socket:["), tcp.contains(String(target.dropFirst(8).dropLast())),
                let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8),
                let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                let flags = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8)
            else { continue }
            sockets += 1
            if flags & 0o2000000 == 0 { inheritable.append(fd) }
        }
        return (sockets, inheritable)
    }

    @Test func everySocketIsCloseOnExec() async throws {
        let upstream = try TestUpstream(name: "app")
        defer { upstream.stop() }
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1"], sites: [.proxy(["fd.test"], to: [upstream.address])]))
        defer { proxy.kill() }
        // An open client connection on each listener plus a pooled upstream connection.
        let plain = try PlainConnection(port: proxy.httpPort)
        plain.send("GET / HTTP/1.1\r\nHost: fd.test\r\n\r\n")
        #expect(try await plain.readResponse().status == 301)
        let session = try TLSSession(port: proxy.httpsPort, serverName: "fd.test")
        defer { session.close() }
        try session.send("GET /name HTTP/1.1\r\nHost: fd.test\r\n\r\n")
        #expect(try await session.readResponse().status == 200)

        let (sockets, inheritable) = try Self.inheritableSockets(pid: proxy.pid)
        #expect(sockets >= 5, "2 listeners, 2 clients and 1 upstream connection")
        #expect(inheritable.isEmpty, "sockets without FD_CLOEXEC: \(inheritable)")
    }

    @Test func readyFileTempSymlinkIsNotFollowed() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.respond(["fd.test"], "ok\n")]))
        defer { proxy.kill() }
        let victim = proxy.directory + "/victim.txt"
        try "untouched\n".write(toFile: victim, atomically: true, encoding: .utf8)
        #expect(symlink(victim, proxy.readyPath + ".tmp") == 0)
        proxy.sendSignal(SIGHUP)
        try await proxy.waitForGeneration(2)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched\n")
    }
}

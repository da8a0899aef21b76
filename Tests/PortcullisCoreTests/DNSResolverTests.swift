import Foundation
import TestSupport
import Testing

@testable import PortcullisCore

/// The evdns-based resolver against a real DNS server (pebble-challtestsrv) on loopback.
@Suite struct DNSResolverTests {
    @Test func txtCnameAndAddressesComeFromTheConfiguredNameserver() async throws {
        let server = try await ChallTestServer.start(defaultIPv4: "")
        defer { server.shutdown() }
        try await server.post("set-txt", ["host": "_acme-challenge.shop.test.", "value": "token-value-1"])
        try await server.post("set-cname", ["host": "shop.test.", "target": "edge.platform.test."])
        try await server.post("add-a", ["host": "edge.platform.test.", "addresses": ["10.1.2.3", "10.1.2.4"]])
        try await server.post("add-aaaa", ["host": "edge.platform.test.", "addresses": ["2001:db8::7"]])
        let resolver = try BlockingDNSResolver(nameserver: DNSNameserver(host: "127.0.0.1", port: server.dnsPort))

        #expect(try resolver.txt("_acme-challenge.shop.test") == ["token-value-1"])
        #expect(try resolver.txt("_ACME-Challenge.Shop.Test.") == ["token-value-1"])
        #expect(try resolver.txt("_acme-challenge.other.test") == [])
        #expect(try resolver.cname("shop.test") == "edge.platform.test")
        #expect(try resolver.cname("edge.platform.test") == nil)
        #expect(try resolver.addresses("edge.platform.test") == ["10.1.2.3", "10.1.2.4", "2001:db8::7"])
        // A CNAME is followed: the alias has the target's addresses.
        #expect(try resolver.addresses("shop.test") == ["10.1.2.3", "10.1.2.4", "2001:db8::7"])
        #expect(try resolver.addresses("nothing.test") == [])
    }

    @Test func aRecordChangeIsSeenOnTheNextLookup() async throws {
        let server = try await ChallTestServer.start()
        defer { server.shutdown() }
        let resolver = try BlockingDNSResolver(nameserver: DNSNameserver(host: "127.0.0.1", port: server.dnsPort))
        #expect(try resolver.cname("new.test") == nil)
        try await server.post("set-cname", ["host": "new.test.", "target": "edge.test."])
        #expect(try resolver.cname("new.test") == "edge.test")
        try await server.post("clear-cname", ["host": "new.test."])
        #expect(try resolver.cname("new.test") == nil)
    }

    @Test func aSilentNameserverTimesOutWithinTheBound() throws {
        // A bound UDP socket that never answers.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let resolver = try BlockingDNSResolver(
            nameserver: DNSNameserver(host: "127.0.0.1", port: port), timeout: 0.2, attempts: 2)
        let start = ContinuousClock.now
        #expect(throws: DNSError.timeout("quiet.test")) { try resolver.txt("quiet.test") }
        #expect(throws: DNSError.self) { try resolver.addresses("quiet.test") }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func invalidNamesAreRefusedWithoutAQuery() throws {
        let resolver = try BlockingDNSResolver(nameserver: DNSNameserver(host: "127.0.0.1", port: 9))
        #expect(throws: DNSError.invalidName("a..b")) { try resolver.txt("a..b") }
        #expect(throws: DNSError.invalidName("")) { try resolver.addresses("") }
        #expect(throws: DNSError.invalidName(String(repeating: "x", count: 64) + ".test")) {
            try resolver.cname(String(repeating: "x", count: 64) + ".test")
        }
    }
}

/// The wire codec and nameserver parsing (pure logic).
@Suite struct DNSMessageTests {
    @Test func queryEncodesNameAndType() {
        let bytes = DNSMessage.query(id: 0x1234, name: "a.bc", type: .txt)
        #expect(bytes == [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 2, 0x62, 0x63, 0, 0, 16, 0, 1])
    }

    @Test func replyWithCompressedNamesAndSplitTXTDecodes() throws {
        var reply: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]
        reply += [1, 0x61, 2, 0x62, 0x63, 0, 0, 5, 0, 1]  // question a.bc CNAME
        reply += [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 0x78, 0xc0, 14]  // a.bc CNAME x.bc
        reply += [0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 6, 2, 0x68, 0x69, 2, 0x6a, 0x6b]  // TXT "hi" "jk"
        let decoded = try #require(DNSMessage.decode(reply))
        #expect(decoded.id == 0x1234 && decoded.rcode == 0 && !decoded.truncated)
        #expect(decoded.answers == [.cname(owner: "a.bc", target: "x.bc"), .txt(owner: "a.bc", value: "hijk")])
    }

    @Test func truncatedAndLoopingRepliesAreRejected() {
        #expect(DNSMessage.decode([0x12, 0x34, 0x81]) == nil)
        let loop: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 12]
        #expect(DNSMessage.decode(loop) == nil)
    }

    @Test func nameserverParsing() {
        #expect(DNSNameserver.parse("127.0.0.1:8053") == DNSNameserver(host: "127.0.0.1", port: 8053))
        #expect(DNSNameserver.parse("[::1]:53") == DNSNameserver(host: "::1", port: 53))
        #expect(DNSNameserver.parse("[::1]:53")?.description == "[::1]:53")
        #expect(DNSNameserver.parse("dns.test:53") == nil)
        #expect(DNSNameserver.parse("127.0.0.1") == nil)
        #expect(DNSNameserver.parse("127.0.0.1:0") == nil)
        #expect(
            DNSNameserver.fromResolvConf("# c\nsearch x\nnameserver fe80::1%eth0\n")
                == DNSNameserver(host: "fe80::1", port: 53))
        #expect(DNSNameserver.fromResolvConf("options ndots:1\n") == nil)
    }
}

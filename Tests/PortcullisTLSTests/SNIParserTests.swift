import Testing
import PortcullisTLS

/// Builds a server_name extension body from (name_type, bytes) entries.
private func sni(_ entries: [(UInt8, [UInt8])]) -> [UInt8] {
    var list: [UInt8] = []
    for (type, name) in entries {
        list += [type, UInt8(name.count >> 8), UInt8(name.count & 0xFF)] + name
    }
    return [UInt8(list.count >> 8), UInt8(list.count & 0xFF)] + list
}

private func host(_ name: String) -> [UInt8] { Array(name.utf8) }

@Suite struct SNIParserTests {
    static let cases: [(String, [UInt8], SNIServerName)] = [
        ("valid", sni([(0, host("example.com"))]), .hostName("example.com")),
        ("uppercase is lowered", sni([(0, host("WWW.Example.COM"))]), .hostName("www.example.com")),
        ("trailing dot stripped", sni([(0, host("example.com."))]), .hostName("example.com")),
        ("only a dot", sni([(0, host("."))]), .invalidName),
        ("255 bytes accepted", sni([(0, [UInt8](repeating: 0x61, count: 255))]), .hostName(String(repeating: "a", count: 255))),
        ("256 bytes refused", sni([(0, [UInt8](repeating: 0x61, count: 256))]), .invalidName),
        ("NUL inside", sni([(0, host("evil.com") + [0] + host(".good.com"))]), .invalidName),
        ("empty list", [0, 0], .malformed),
        ("no bytes", [], .malformed),
        ("one byte", [0], .malformed),
        ("list length beyond data", [0, 10, 0, 0, 3] + host("abc"), .malformed),
        ("list length short of data", [0, 5, 0, 0, 3] + host("abcd"), .malformed),
        ("truncated entry header", [0, 2, 0, 0], .malformed),
        ("name length beyond list", [0, 6, 0, 0, 9] + host("abc"), .malformed),
        ("empty host name", sni([(0, [])]), .malformed),
        ("non-host_name type only", sni([(7, host("x"))]), .absent),
        ("host_name after another type", sni([(7, host("x")), (0, host("b.test"))]), .hostName("b.test")),
        ("first host_name wins", sni([(0, host("a.test")), (0, host("b.test"))]), .hostName("a.test")),
    ]

    @Test(arguments: cases)
    func parses(_ name: String, _ bytes: [UInt8], _ expected: SNIServerName) {
        #expect(SNIParser.parseServerName(bytes) == expected, "\(name)")
    }

    @Test func bufferFormWritesLowercasedBytes() {
        let input = sni([(0, host("A.B."))])
        var output = [UInt8](repeating: 0xEE, count: 255)
        let result = input.withUnsafeBytes { bytes in
            output.withUnsafeMutableBytes { SNIParser.parseServerName(bytes, into: $0) }
        }
        #expect(result == .hostName(length: 3))
        #expect(Array(output[0..<3]) == host("a.b"))
    }
}

import Testing
import PortcullisTLS

/// SNI host names outside host-name syntax are refused at the ClientHello (`.invalidName`, answered
/// with unrecognized_name), so they can never reach a log line or a header.
@Suite struct SNIHostSyntaxTests {
    /// A server_name extension body with one host_name entry.
    static func extensionBody(_ name: [UInt8]) -> [UInt8] {
        let entry: [UInt8] = [0, UInt8(name.count >> 8), UInt8(name.count & 0xFF)] + name
        return [UInt8(entry.count >> 8), UInt8(entry.count & 0xFF)] + entry
    }

    static let refused: [(String, [UInt8])] = [
        ("quote", Array("a\"b.test".utf8)), ("backslash", Array("a\\b.test".utf8)), ("control byte", [0x61, 0x01, 0x62]),
        ("newline", Array("a\nb".utf8)), ("space", Array("a b.test".utf8)), ("colon", Array("a.test:443".utf8)),
        ("DEL", [0x61, 0x7F]), ("UTF-8", Array("bücher.test".utf8)), ("brace", Array("{x}.test".utf8)),
    ]

    @Test(arguments: refused)
    func bytesOutsideHostNameSyntaxAreRefused(_ label: String, _ name: [UInt8]) {
        #expect(SNIParser.parseServerName(Self.extensionBody(name)) == .invalidName, "\(label)")
    }

    @Test(arguments: ["xn--bcher-kva.test", "under_score.test", "a-b.c9.test", "127.0.0.1"])
    func hostNameBytesAreAccepted(_ name: String) {
        #expect(SNIParser.parseServerName(Self.extensionBody(Array(name.utf8))) == .hostName(name))
    }
}

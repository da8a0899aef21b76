import Testing

@testable import PortcullisHTTP

@Suite("Byte classes")
struct ByteClassTests {
    private static let alnum = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    @Test func tcharMasksMatchTheABNF() {
        let tchar = Self.alnum.union("!#$%&'*+-.^_`|~".utf8)
        for b in UInt8.min...UInt8.max {
            #expect(ASCII.isTChar(b) == tchar.contains(b), "byte \(b)")
        }
    }

    @Test func hostMasksMatchTheABNF() {
        let host = Self.alnum.union("-._~%!$&'()*+,;=:[]".utf8)
        for b in UInt8.min...UInt8.max {
            #expect(ASCII.isHostChar(b) == host.contains(b), "byte \(b)")
        }
    }

    @Test func valueAndTargetClasses() {
        for b in UInt8.min...UInt8.max {
            #expect(ASCII.isVChar(b) == (0x21...0x7E).contains(b), "byte \(b)")
            #expect(ASCII.isFieldValueByte(b) == (b == 0x09 || (b >= 0x20 && b != 0x7F)), "byte \(b)")
            #expect(ASCII.lower(b) == Array(String(UnicodeScalar(b)).lowercased().utf8).first! || b >= 0x80)
        }
        #expect(ASCII.hexValue(UInt8(ascii: "f")) == 15 && ASCII.hexValue(UInt8(ascii: "F")) == 15)
        #expect(ASCII.hexValue(UInt8(ascii: "g")) == nil && ASCII.hexValue(UInt8(ascii: "9")) == 9)
    }

    @Test func spanComparisons() {
        let bytes = Array("Keep-ALIVE keep-alive".utf8)
        bytes.withUnsafeBytes { raw in
            let a = ByteSpan(start: 0, count: 10)
            let b = ByteSpan(start: 11, count: 10)
            #expect(raw.equalsASCIICaseInsensitive(a, "keep-alive"))
            #expect(raw.equalsASCIICaseInsensitive(a, "KEEP-ALIVE"))
            #expect(!raw.equalsASCIICaseInsensitive(a, "keep-alivex"))
            #expect(raw.equalsASCIICaseInsensitive(a, b))
            #expect(!raw.equalsASCII(a, "keep-alive"))
            #expect(raw.equalsASCII(b, "keep-alive"))
            #expect(Array(raw.span(ByteSpan(start: 5, count: 5))) == Array("ALIVE".utf8))
        }
    }
}

/// ASCII byte constants and the character classes of RFC 9110 §5.6 and RFC 3986, as bit sets.
///
/// Each class over 0..<128 is two 64-bit masks (bit `b` set when byte `b` belongs), so a test is a
/// shift and an AND, with no table to load. `ByteClassTests` checks the masks against the ABNF.
@usableFromInline
enum ASCII {
    @usableFromInline static var cr: UInt8 { 0x0D }
    @usableFromInline static var lf: UInt8 { 0x0A }
    @usableFromInline static var sp: UInt8 { 0x20 }
    @usableFromInline static var htab: UInt8 { 0x09 }
    @usableFromInline static var colon: UInt8 { 0x3A }
    @usableFromInline static var comma: UInt8 { 0x2C }
    @usableFromInline static var semicolon: UInt8 { 0x3B }
    @usableFromInline static var slash: UInt8 { 0x2F }

    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
    //         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static var tcharLow: UInt64 { 0x03FF_6CFA_0000_0000 }
    static var tcharHigh: UInt64 { 0x57FF_FFFF_C7FF_FFFE }

    // Host bytes: unreserved / pct-encoded / sub-delims / ":" / "[" / "]" (RFC 3986 §3.2.2, §3.2.3)
    //   unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
    //   sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
    static var hostLow: UInt64 { 0x2FFF_7FF2_0000_0000 }
    static var hostHigh: UInt64 { 0x47FF_FFFE_AFFF_FFFE }

    /// Lowercases an ASCII letter; other bytes are returned unchanged.
    @inlinable @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        (b &- 0x41) < 26 ? b | 0x20 : b
    }

    /// Whether `b` is in the set given by two masks over 0..<128.
    @inline(__always)
    static func member(_ b: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        if b < 64 { return (low >> UInt64(b)) & 1 != 0 }
        if b < 128 { return (high >> UInt64(b &- 64)) & 1 != 0 }
        return false
    }

    /// tchar of RFC 9110 §5.6.2: the bytes of a token (method, field name, coding, option).
    @inline(__always)
    static func isTChar(_ b: UInt8) -> Bool { member(b, tcharLow, tcharHigh) }

    /// A byte allowed in a Host value or an absolute-form authority.
    @inline(__always)
    static func isHostChar(_ b: UInt8) -> Bool { member(b, hostLow, hostHigh) }

    /// VCHAR: visible ASCII, the bytes allowed in a request-target.
    @inline(__always)
    static func isVChar(_ b: UInt8) -> Bool { b &- 0x21 < 0x5E }

    /// field-vchar / SP / HTAB (RFC 9110 §5.5): VCHAR, obs-text (0x80-0xFF), SP and HTAB.
    @inline(__always)
    static func isFieldValueByte(_ b: UInt8) -> Bool { b >= 0x20 ? b != 0x7F : b == 0x09 }

    /// OWS = *( SP / HTAB )
    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// HEXDIG value of `b`, or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        if b &- 0x30 < 10 { return b &- 0x30 }
        let l = b | 0x20
        if l &- 0x61 < 6 { return l &- 0x61 &+ 10 }
        return nil
    }

    /// DIGIT value of `b`, or nil.
    @inline(__always)
    static func digitValue(_ b: UInt8) -> UInt8? {
        b &- 0x30 < 10 ? b &- 0x30 : nil
    }
}

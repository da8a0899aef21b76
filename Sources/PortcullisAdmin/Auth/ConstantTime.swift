/// Comparison of secrets whose time does not depend on where they differ.
enum ConstantTime {
    /// Whether `a` equals `b`; runs over the whole of `b` (the presented value) whatever the contents,
    /// so the time reveals only the presented length.
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = 0
        for index in 0..<b.count {
            let expected = a.isEmpty ? 0 : a[index % a.count]
            difference |= expected ^ b[index]
        }
        // Lengths are not secret (the token's is fixed and documented); compare them separately.
        return difference == 0 && a.count == b.count && !a.isEmpty
    }

    /// `equals` over UTF-8.
    static func equals(_ a: String, _ b: String) -> Bool { self.equals(Array(a.utf8), Array(b.utf8)) }
}

/// Random identifiers from the system's cryptographic generator (getrandom(2) on Linux).
enum RandomToken {
    /// `bytes` random bytes as lower-case hex (64 characters for 32 bytes).
    static func hex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Textual IPv4 and IPv6 literals (RFC 4291 §2.2), checked without calling into libc.
enum IPAddressSyntax {
    /// Dotted-quad IPv4: four decimal octets 0–255, no leading zeros (which some tools read as octal).
    static func isIPv4(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            guard octet.count == 1 || octet.first != "0" else { return false }
            return Int(octet).map { $0 <= 255 } ?? false
        }
    }

    /// IPv6 in any RFC 4291 form: eight groups, `::` once for a run of zero groups, and an optional
    /// trailing dotted-quad (`::ffff:192.0.2.1`). Zone identifiers (`%eth0`) are not accepted.
    static func isIPv6(_ text: String) -> Bool {
        if let gap = text.firstRange(of: "::") {
            let head = text[..<gap.lowerBound]
            let tail = text[gap.upperBound...]
            guard !tail.contains("::"), let headCount = self.groupCount(head, last: tail.isEmpty),
                let tailCount = self.groupCount(tail, last: true)
            else { return false }
            return headCount + tailCount <= 7
        }
        return self.groupCount(Substring(text), last: true) == 8
    }

    /// Counts the 16-bit groups in a `:`-separated run (a trailing IPv4 counts as two); nil if malformed.
    /// `last` says whether the run ends the address, the only place an IPv4 part may appear.
    private static func groupCount(_ run: Substring, last: Bool) -> Int? {
        guard !run.isEmpty else { return 0 }
        let groups = run.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (offset, group) in groups.enumerated() {
            if last && offset == groups.count - 1 && group.contains(".") {
                guard self.isIPv4(String(group)) else { return nil }
                count += 2
            } else {
                let isHex = group.allSatisfy { $0.isASCII && $0.isHexDigit }
                guard (1...4).contains(group.count), isHex else { return nil }
                count += 1
            }
        }
        return count
    }
}

/// Host names as sites list them: DNS names of letters, digits and hyphens (RFC 1123), optionally with a
/// leading `*.` wildcard label that covers exactly one label.
public enum HostNameSyntax {
    /// Longest DNS name in presentation form, without a trailing dot (RFC 1035 §2.3.4).
    static let maxNameLength = 253
    /// Longest DNS label (RFC 1035 §2.3.4).
    static let maxLabelLength = 63

    /// Why `host` (already lower-cased) is not a valid site host name, or nil when it is.
    public static func problem(with host: String, allowWildcard: Bool = true) -> String? {
        guard !host.isEmpty else { return "a host name must not be empty" }
        guard host.utf8.count <= self.maxNameLength else {
            return "\"\(host)\" is longer than \(self.maxNameLength) characters"
        }
        if host.contains("*") {
            guard allowWildcard else { return "\"\(host)\": wildcards are not allowed here" }
            return self.wildcardProblem(host)
        }
        return self.nameProblem(host)
    }

    /// Checks `*.rest`: one wildcard label, leftmost, then at least two ordinary labels.
    private static func wildcardProblem(_ host: String) -> String? {
        let message = "\"\(host)\": a wildcard must be the whole leftmost label, followed by at least two labels, "
            + "as in \"*.example.com\""
        guard host.hasPrefix("*.") else { return message }
        let rest = String(host.dropFirst(2))
        guard !rest.contains("*"), rest.split(separator: ".", omittingEmptySubsequences: false).count >= 2 else {
            return message
        }
        return self.nameProblem(rest)
    }

    /// Checks an ordinary (non-wildcard) name label by label.
    private static func nameProblem(_ host: String) -> String? {
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return "\"\(host)\" has an empty label (leading, trailing or doubled dot)" }
            if label.utf8.count > self.maxLabelLength {
                return "\"\(host)\" has a label longer than \(self.maxLabelLength) characters"
            }
            if !label.utf8.allSatisfy(self.isLabelByte) {
                return "\"\(host)\" may contain only letters, digits, hyphens and dots "
                    + "(write international names in punycode)"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "\"\(host)\" has a label that starts or ends with a hyphen"
            }
        }
        return nil
    }

    /// ASCII letters, digits and `-`.
    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

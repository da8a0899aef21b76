/// Builds the HTTPS URL a plain-HTTP request is redirected to.
enum Redirect {
    /// `https://<host>[:port]<path?query>`; the Host header's own port is replaced, and port 443 is
    /// left out. An absolute-form target keeps only its path and query.
    static func location(host: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer, httpsPort: Int, into out: inout [UInt8]) {
        out.append("https://")
        out.append(bytes: UnsafeRawBufferPointer(rebasing: host[..<self.hostEnd(host)]))
        if httpsPort != 443 {
            out.append(":")
            out.appendDecimal(httpsPort)
        }
        out.append(bytes: self.pathAndQuery(target))
    }

    /// Index where the host's `:port` starts (IPv6 brackets respected).
    private static func hostEnd(_ host: UnsafeRawBufferPointer) -> Int {
        if host.first == UInt8(ascii: "["), let close = host.firstIndex(of: UInt8(ascii: "]")) { return close + 1 }
        return host.firstIndex(of: UInt8(ascii: ":")) ?? host.count
    }

    /// The origin-form part of a request target.
    private static func pathAndQuery(_ target: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if target.first == UInt8(ascii: "/") { return target }
        // absolute-form: skip "scheme://authority"
        guard let schemeEnd = self.find("://", in: target) else { return UnsafeRawBufferPointer(start: ("/" as StaticString).utf8Start, count: 1) }
        let rest = target[(schemeEnd + 3)...]
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return UnsafeRawBufferPointer(start: ("/" as StaticString).utf8Start, count: 1) }
        return UnsafeRawBufferPointer(rebasing: target[slash...])
    }

    private static func find(_ needle: StaticString, in bytes: UnsafeRawBufferPointer) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard bytes.count >= n else { return nil }
        let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: n)
        for start in 0...(bytes.count - n) where bytes[start..<(start + n)].elementsEqual(pattern) { return start }
        return nil
    }
}

import Foundation

/// A request target split into decoded path segments and query parameters.
struct AdminTarget: Equatable {
    /// Percent-decoded segments of the path (`/api/v1/certificates/x` → `["api", "v1", "certificates", "x"]`).
    var segments: [String]
    /// Query parameters, last value wins.
    var query: [String: String]

    /// Parses `uri` (`/path?query`); nil when a segment is not valid percent-encoding.
    init?(uri: String) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init) ?? "/"
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = String(raw).removingPercentEncoding else { return nil }
            segments.append(decoded)
        }
        self.segments = segments
        self.query = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                let key = decode(keyValue[0])
                self.query[key] = keyValue.count > 1 ? decode(keyValue[1]) : ""
            }
        }
    }

    /// The path as one string, for matching fixed routes (`/api/v1/sites`).
    var path: String { "/" + self.segments.joined(separator: "/") }

    /// A boolean query flag: absent is false; `true`/`1` and `false`/`0` are accepted.
    func flag(_ name: String) throws -> Bool {
        guard let value = self.query[name] else { return false }
        switch value.lowercased() {
        case "true", "1", "": return true
        case "false", "0": return false
        default: throw AdminError(.badRequest, "the query parameter \(name) must be true or false, not \"\(value)\"")
        }
    }
}

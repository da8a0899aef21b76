import Foundation

/// `[[site]] health_check`: active checks of each upstream, run by the control plane.
public struct HealthCheckConfig: Sendable, Equatable {
    /// `path`: request target of the check (`GET`, with the site's first host as `Host`).
    public var path: String = "/"
    /// `interval`: seconds between checks of one upstream.
    public var interval: Double = 5
    /// `timeout`: a check without a status line by then fails.
    public var timeout: Double = 2
    /// `rise`: consecutive passes that bring a down upstream back.
    public var rise: Int = 2
    /// `fall`: consecutive failures that take an up upstream out.
    public var fall: Int = 3
    /// `expect`: the status codes that pass, e.g. `"2xx"`, `"200"` or `"2xx,3xx"`.
    public var expect: StatusExpectation = StatusExpectation(classes: [2], codes: [])

    /// The defaults (HAProxy's rise 2 / fall 3, nginx plus's interval 5 s).
    public init() {}
}

/// Which response status codes count as healthy: whole classes (`2xx`) and single codes (`204`).
public struct StatusExpectation: Sendable, Equatable, CustomStringConvertible {
    /// Hundreds digit of the accepted classes (`2` for `2xx`).
    public var classes: Set<Int>
    /// Single accepted codes.
    public var codes: Set<Int>

    /// An expectation from its parts.
    public init(classes: Set<Int>, codes: Set<Int>) {
        self.classes = classes
        self.codes = codes
    }

    /// Parses `"2xx"`, `"200"`, `"2xx,301"`; nil when any part is neither a class nor a code from 100 to 599.
    public init?(parsing text: String) {
        var classes = Set<Int>(), codes = Set<Int>()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            if part.count == 3, part.hasSuffix("xx"), let digit = Int(part.prefix(1)), (1...5).contains(digit) {
                classes.insert(digit)
            } else if let code = Int(part), (100...599).contains(code) {
                codes.insert(code)
            } else {
                return nil
            }
        }
        guard !classes.isEmpty || !codes.isEmpty else { return nil }
        self.init(classes: classes, codes: codes)
    }

    /// Whether `status` passes.
    public func accepts(_ status: Int) -> Bool {
        self.codes.contains(status) || self.classes.contains(status / 100)
    }

    /// The written form, classes first.
    public var description: String {
        (self.classes.sorted().map { "\($0)xx" } + self.codes.sorted().map(String.init)).joined(separator: ",")
    }
}

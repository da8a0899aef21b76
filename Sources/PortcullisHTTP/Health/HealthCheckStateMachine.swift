/// The rise/fall counter of one actively checked upstream (HAProxy's `rise`/`fall`): results in,
/// state changes out. An upstream starts up, so a restart sends traffic at once, as HAProxy does.
public struct HealthCheckStateMachine: Sendable, Equatable {
    /// Whether the upstream may get requests.
    public enum State: String, Sendable {
        case up, down
    }

    /// What the caller must do after a result.
    public enum Action: Sendable, Equatable {
        case none
        /// `fall` failures in a row: stop sending it requests.
        case markDown
        /// `rise` passes in a row: send it requests again.
        case markUp
    }

    public let rise: Int
    public let fall: Int
    public private(set) var state: State = .up
    /// Consecutive results that disagree with `state`.
    public private(set) var streak = 0

    /// A machine for `rise` and `fall` (both at least 1).
    public init(rise: Int, fall: Int) {
        self.rise = max(1, rise)
        self.fall = max(1, fall)
    }

    /// Feeds one check result.
    public mutating func onResult(passed: Bool) -> Action {
        switch (self.state, passed) {
        case (.up, true), (.down, false):
            self.streak = 0
            return .none
        case (.up, false):
            self.streak += 1
            guard self.streak >= self.fall else { return .none }
            self.state = .down
            self.streak = 0
            return .markDown
        case (.down, true):
            self.streak += 1
            guard self.streak >= self.rise else { return .none }
            self.state = .up
            self.streak = 0
            return .markUp
        }
    }
}

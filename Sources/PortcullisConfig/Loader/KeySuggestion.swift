/// "Did you mean" hints for unknown keys, by edit distance.
enum KeySuggestion {
    /// Largest edit distance still worth suggesting (catches `wokers`, `state-dir`, `upstream`).
    static let maxDistance = 2

    /// The known key closest to `key`, if it is within `maxDistance` edits.
    static func closest(to key: String, in known: [String]) -> String? {
        let scored = known.map { (key: $0, distance: self.distance(key, $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= self.maxDistance else {
            return nil
        }
        return best.key
    }

    /// Levenshtein distance over Unicode scalars, one row at a time.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs.unicodeScalars)
        let right = Array(rhs.unicodeScalars)
        var previous = Array(0...right.count)
        for (i, leftScalar) in left.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: right.count)
            for (j, rightScalar) in right.enumerated() {
                let substitution = previous[j] + (leftScalar == rightScalar ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            previous = current
        }
        return previous[right.count]
    }
}

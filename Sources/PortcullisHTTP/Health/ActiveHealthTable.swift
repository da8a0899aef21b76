/// Which upstreams active health checks have taken out, published by the control plane for one
/// `RouteTable` generation. Workers read it through a `LocalCopy` (one atomic load per pick); a table
/// for another generation says nothing, so sites renumbered by a reload are never confused.
public final class ActiveHealthTable: Sendable {
    /// The `RouteTable.generation` whose site and upstream indices `down` uses.
    public let generation: Int
    /// `down[site][upstream]`: true while that upstream is marked down.
    private let down: [[Bool]]

    /// A table for `generation`; `down` is indexed like that table's sites and their upstreams.
    public init(generation: Int, down: [[Bool]]) {
        self.generation = generation
        self.down = down
    }

    /// No upstream down.
    public static let empty = ActiveHealthTable(generation: 0, down: [])

    /// Whether upstream `upstream` of site `site` in routes of `generation` is marked down.
    @inline(__always)
    func isDown(site: Int, upstream: Int, generation: Int) -> Bool {
        guard generation == self.generation, site < self.down.count, upstream < self.down[site].count else {
            return false
        }
        return self.down[site][upstream]
    }
}

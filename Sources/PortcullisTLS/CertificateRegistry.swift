import Synchronization

/// Interns certificate names to small, stable integers shared by the TLS snapshot (recorded on each
/// connection) and HTTP routing (SNI/Host consistency, 421). Never forgets a name, so an ID stays valid
/// across reloads.
public final class CertificateRegistry: Sendable {
    /// Names by ID, and IDs by name.
    private let state = Mutex<(names: [String], ids: [String: Int])>(([], [:]))

    /// An empty registry.
    public init() {}

    /// The ID of `name`, assigning the next free one (0, 1, 2, …) on first use.
    public func id(for name: String) -> Int {
        self.state.withLock { state in
            if let id = state.ids[name] { return id }
            let id = state.names.count
            state.names.append(name)
            state.ids[name] = id
            return id
        }
    }

    /// The name interned as `id`, or nil for an ID this registry never handed out.
    public func name(for id: Int) -> String? {
        self.state.withLock { state in state.names.indices.contains(id) ? state.names[id] : nil }
    }
}

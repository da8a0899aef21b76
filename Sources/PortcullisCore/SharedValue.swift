import Synchronization

/// An immutable value published by the control plane and read by workers. The writer swaps it in one
/// step (the old value dies outside the lock) and then bumps `version`; readers keep a `LocalCopy`, which
/// takes the lock only after a publish, so the request path normally reads nothing shared but one atomic.
public final class SharedValue<Value: AnyObject & Sendable>: Sendable {
    private let storage: Mutex<Value>
    private let published = Atomic<Int>(0)

    /// Starts with `initial`.
    public init(_ initial: Value) { self.storage = Mutex(initial) }

    /// The current value; callers keep it for as long as they need a consistent view.
    public func current() -> Value { self.storage.withLock { $0 } }

    /// Incremented after every `swap`.
    public var version: Int { self.published.load(ordering: .acquiring) }

    /// Publishes `next`; returns the previous value.
    @discardableResult
    public func swap(_ next: Value) -> Value {
        let old = self.storage.withLock { value in
            let old = value
            value = next
            return old
        }
        self.published.add(1, ordering: .releasing)
        return old
    }
}

/// One thread's reference to a `SharedValue`'s current value, refreshed only when its version changes.
public struct LocalCopy<Value: AnyObject & Sendable> {
    private let shared: SharedValue<Value>
    private var value: Value
    private var version: Int

    /// Takes the current value. The version is read first, so a publish in between only causes one
    /// extra refresh later.
    public init(_ shared: SharedValue<Value>) {
        self.shared = shared
        self.version = shared.version
        self.value = shared.current()
    }

    /// The current value: one atomic load, plus the lock only after a publish.
    public mutating func current() -> Value {
        let version = self.shared.version
        if version != self.version {
            self.version = version
            self.value = self.shared.current()
        }
        return self.value
    }
}

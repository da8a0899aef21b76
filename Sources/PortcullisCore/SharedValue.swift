import Synchronization

/// An immutable value published by the control plane and read by workers: readers take a reference
/// under a short lock; the writer swaps it in one step and the old value dies outside the lock.
public final class SharedValue<Value: AnyObject & Sendable>: Sendable {
    private let storage: Mutex<Value>

    /// Starts with `initial`.
    public init(_ initial: Value) { self.storage = Mutex(initial) }

    /// The current value; callers keep it for as long as they need a consistent view.
    public func current() -> Value { self.storage.withLock { $0 } }

    /// Publishes `next`; returns the previous value.
    @discardableResult
    public func swap(_ next: Value) -> Value {
        self.storage.withLock { value in
            let old = value
            value = next
            return old
        }
    }
}

internal import CLibevent
import Synchronization

/// Owns one libevent `event_base`. Each worker thread has its own; the main thread has the control base.
public final class EventBase: @unchecked Sendable {  // the pointer is only used by the owning thread, except loopexit (thread-safe with evthread)
    package let raw: OpaquePointer

    /// Creates a base. `EventThreading.enable()` must have run first.
    public init() {
        EventThreading.enable()
        guard let base = event_base_new() else { fatalError("event_base_new failed: out of memory") }
        self.raw = base
    }

    deinit { event_base_free(self.raw) }

    /// Runs the loop until it has no events left or `exit()` is called.
    public func dispatch() { _ = event_base_dispatch(self.raw) }

    /// Runs one loop iteration, waiting for at least one event (for callers that drive a private base).
    public func runOnce() { _ = event_base_loop(self.raw, EVLOOP_ONCE) }

    /// Asks the loop to exit after the current iteration; safe from any thread.
    public func exit() { _ = event_base_loopexit(self.raw, nil) }

    /// Runs `body` once on this base's thread at the next loop iteration; safe from any thread.
    public func schedule(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ScheduledClosure(body)).toOpaque()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        if event_base_once(self.raw, -1, Int16(EV_TIMEOUT), onScheduled, box, &zero) != 0 {
            Unmanaged<ScheduledClosure>.fromOpaque(box).release()
        }
    }
}

/// Enables libevent's pthread locking once, before any base exists.
public enum EventThreading {
    private static let enabled: Bool = {
        _ = evthread_use_pthreads()
        return true
    }()

    /// Idempotent.
    public static func enable() { _ = self.enabled }
}

/// A closure carried through `event_base_once`.
private final class ScheduledClosure {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private let onScheduled: event_callback_fn = { _, _, arg in
    let closure = Unmanaged<ScheduledClosure>.fromOpaque(arg!).takeRetainedValue()
    closure.body()
}

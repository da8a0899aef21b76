internal import CLibevent

/// A repeating or one-shot timer on a base; the callback runs on that base's thread.
public final class Timer {
    private var raw: OpaquePointer?
    private let handler: () -> Void

    /// Creates a timer that fires every `interval` seconds (or once, if `repeats` is false).
    public init(base: EventBase, interval: Double, repeats: Bool, handler: @escaping () -> Void) {
        self.handler = handler
        let flags = repeats ? Int16(EV_PERSIST) : 0
        self.raw = event_new(base.raw, -1, flags, onTimer, nil)
        guard let raw = self.raw else { return }
        event_assign(raw, base.raw, -1, flags, onTimer, Unmanaged.passUnretained(self).toOpaque())
        var tv = timeval(tv_sec: Int(interval), tv_usec: Int((interval - Double(Int(interval))) * 1e6))
        event_add(raw, &tv)
    }

    deinit { self.cancel() }

    /// Stops the timer.
    public func cancel() {
        if let raw = self.raw { event_free(raw) }
        self.raw = nil
    }

    fileprivate func fire() { self.handler() }
}

private let onTimer: event_callback_fn = { _, _, arg in
    Unmanaged<Timer>.fromOpaque(arg!).takeUnretainedValue().fire()
}

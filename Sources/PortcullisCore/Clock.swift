import Glibc

/// Monotonic and wall clocks without Foundation, cheap enough for the data path.
public enum Clock {
    /// Monotonic seconds (CLOCK_MONOTONIC_COARSE: a few ns per call).
    @inline(__always)
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Seconds since the epoch.
    @inline(__always)
    public static func wallSeconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        return ts.tv_sec
    }
}

using System.Runtime.CompilerServices;

// The field and point arithmetic uses large struct locals (an 8-lane point is 2.5 KB); every local is written before it
// is read, so the runtime's zero-initialisation of locals is pure overhead on the verification hot path.
[module: SkipLocalsInit]

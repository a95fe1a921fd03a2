#pragma once

namespace moltdesk {

// Gives the pages freed so far back to the system. Large listings are parsed and dropped on pool
// threads, whose glibc arenas keep what they freed; the next big allocation, often on another thread,
// does not reuse them, so without this a process's peak is the sum of steps that never overlap.
// A few milliseconds; nothing is lost. Does nothing where the C library is not glibc.
void returnFreedMemory();

} // namespace moltdesk

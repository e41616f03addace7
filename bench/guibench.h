#pragma once

namespace dbdeck::bench {

// dbdeck-bench gui: the longest stall of the inspector's GUI thread (the gaps between a
// zero-interval timer's ticks) while switching between runs of 100,000 events, while another
// process appends to the run shown, and while a count and an integrity check run, on a
// multi-GB database generated once into the cache folder. Goal: no stall over 50 ms. It makes
// its own QApplication, so main() hands it argc/argv before creating any application object.
int runGuiBench(int argc, char *argv[]);

} // namespace dbdeck::bench

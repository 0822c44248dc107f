// A push button timed by the seconds it is held: it acts once when it has been
// held `hold_s` seconds (a press, when 0), and again only after a release.
// Sampled once a second (hal::Hal::buttons_held); the billing button of the
// time engine and the reconnect button of the load-control engine use it.
#pragma once

#include <cstdint>

namespace metergen::timing {

class ButtonHold {
 public:
  // One second's sample: whether the button is held now. True on the one
  // second the hold is reached.
  bool sample(bool held, std::uint32_t hold_s) {
    if (!held) {
      held_s_ = 0;
      return false;
    }
    const std::uint32_t needed = hold_s == 0 ? 1 : hold_s;
    if (held_s_ < needed) ++held_s_;
    else return false;
    return held_s_ == needed;
  }

 private:
  std::uint32_t held_s_ = 0;
};

}  // namespace metergen::timing

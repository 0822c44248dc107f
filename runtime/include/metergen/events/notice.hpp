// What the engines below the event engine report to it (the billing engine,
// the time engine): an instant trigger, by an interface so that they need not
// know the event engine (docs/events.md).
#pragma once

#include <cstdint>

#include <metergen/model_tables.hpp>

namespace metergen::events {

class Notice {
 public:
  // An instant happened now (qualifier: phase or kCause*; object: of a SET).
  virtual void raise(tables::Trigger trigger, std::uint8_t qualifier = 0, std::uint16_t object = tables::kNone) = 0;

 protected:
  ~Notice() = default;
};

}  // namespace metergen::events

// Retained RAM layout and the warm/cold decision (see retained.hpp).
#include "retained.hpp"

#include <metergen/hdlc/crc16.hpp>
#include <metergen/storage/crc32.hpp>

namespace metergen::mps2 {

RetainedMemory::RetainedMemory(std::uint8_t* region, std::uint32_t region_size)
    : header_(reinterpret_cast<Header*>(region)),
      clock_(reinterpret_cast<ClockCell*>(region + kClockOffset)),
      nvm_(region + kReservedBytes),
      nvm_size_(region_size - kReservedBytes) {}

std::uint32_t RetainedMemory::header_check(const Header& h) {
  std::uint8_t bytes[16];
  const std::uint32_t fields[4] = {h.magic, h.layout_version, h.nvm_size, h.model_tag};
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<std::uint8_t>(fields[i / 4] >> (8 * (i % 4)));
  return hdlc::crc16(bytes, sizeof bytes);
}

RetainedMemory::Start RetainedMemory::open(std::uint32_t model_tag, std::uint64_t power_on_utc_ms) {
  Header& h = *header_;
  const bool valid = h.magic == kMagic && h.layout_version == kLayoutVersion && h.nvm_size == nvm_size_ &&
                     h.model_tag == model_tag && h.check == header_check(h);
  if (valid) {
    if (clock_->complement != ~clock_->utc_ms) set_clock_ms(power_on_utc_ms);
    return Start::warm;
  }
  for (std::uint32_t i = 0; i < nvm_size_; ++i) nvm_[i] = kErased;
  set_clock_ms(power_on_utc_ms);
  // The header last: a reset during formatting leaves it invalid, so the next start formats again.
  h = Header{kMagic, kLayoutVersion, nvm_size_, model_tag, 0};
  h.check = header_check(h);
  return Start::cold;
}

bool RetainedMemory::read(std::uint32_t offset, std::uint8_t* out, std::size_t n) const {
  if (offset > nvm_size_ || n > nvm_size_ - offset) return false;
  for (std::size_t i = 0; i < n; ++i) out[i] = nvm_[offset + i];
  return true;
}

bool RetainedMemory::write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) {
  if (offset > nvm_size_ || n > nvm_size_ - offset) return false;
  for (std::size_t i = 0; i < n; ++i) nvm_[offset + i] = in[i];
  return true;
}

std::uint32_t RetainedMemory::model_tag(const char* model_id) { return storage::crc32_text(model_id); }

}  // namespace metergen::mps2

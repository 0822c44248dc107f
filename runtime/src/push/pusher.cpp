// The push engine (see push/pusher.hpp).
#include <metergen/push/pusher.hpp>

#include <metergen/axdr/axdr.hpp>
#include <metergen/cosem/push_setup.hpp>
#include <metergen/log_line.hpp>
#include <metergen/crypto/gcm.hpp>
#include <metergen/push/data_notification.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/wrapper/wrapper.hpp>

namespace metergen::push {

namespace {

bool due(std::uint32_t now, std::uint32_t at) { return static_cast<std::int32_t>(now - at) >= 0; }

std::uint8_t response_sc(const tables::AssociationDef& a) {
  std::uint8_t sc = 0;
  if (a.security_policy & tables::kAuthenticatedResponse) sc |= security::kScAuthentication;
  if (a.security_policy & tables::kEncryptedResponse) sc |= security::kScEncryption;
  return sc;
}

}  // namespace

Pusher::Pusher(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, CounterSource& counters)
    : model_(model),
      hal_(hal),
      objects_(objects),
      counters_(counters),
      count_(model.push_setup_count < kMaxPushSetups ? model.push_setup_count : kMaxPushSetups),
      frame_(model.ram.push_frame) {}

bool Pusher::idle() const {
  if (active_ >= 0) return false;
  for (std::uint8_t i = 0; i < count_; ++i)
    if (jobs_[i].pending) return false;
  return true;
}

bool Pusher::request(std::uint16_t push_setup_object) {
  for (std::uint8_t i = 0; i < count_; ++i) {
    if (model_.push_setups[i].object != push_setup_object) continue;
    if (jobs_[i].pending) return true;
    jobs_[i] = Job{true, false, 0, hal_.ticks_ms() + start_delay_ms(push_setup_object)};
    return true;
  }
  return false;
}

std::uint32_t Pusher::start_delay_ms(std::uint16_t push_setup_object) {
  cosem::PushSettings s{};
  if (!cosem::push_settings(model_, push_setup_object, s) || s.randomisation_s == 0) return 0;
  std::uint8_t r[2] = {};
  hal_.random(r, sizeof r);
  return static_cast<std::uint32_t>((r[0] << 8) | r[1]) % (s.randomisation_s + 1u) * 1000u;
}

bool Pusher::run_script(std::uint16_t script) {
  return script >= 1 && script <= count_ && request(model_.push_setups[script - 1].object);
}

void Pusher::tick() {
  const std::uint32_t now = hal_.ticks_ms();
  if (active_ >= 0) {
    const hal::PushState st = hal_.push_send(frame_, frame_size_);
    if (st == hal::PushState::busy && !due(now, started_ms_ + kAttemptTimeoutMs)) return;
    finish(st == hal::PushState::sent);
    return;
  }
  for (std::uint8_t i = 0; i < count_; ++i)
    if (jobs_[i].pending && due(now, jobs_[i].due_ms) && may_start(i, now)) return start(i);
}

// Outside every communication window a due attempt is held (logged once);
// when a window opens it waits its random delay again, so meters held by the
// same window do not all push at its first second.
bool Pusher::may_start(std::uint8_t index, std::uint32_t now_ms) {
  Job& job = jobs_[index];
  const std::uint16_t object = model_.push_setups[index].object;
  if (!window_open(index)) {
    if (!job.held) {
      LogLine line;
      line.text("push ").obis(model_.objects[object].ln).text(": held until a communication window opens");
      hal_.log(line.c_str());
    }
    job.held = true;
    return false;
  }
  if (!job.held) return true;
  job.held = false;
  job.due_ms = now_ms + start_delay_ms(object);
  return due(now_ms, job.due_ms);
}

// Decided at most once a clock second per push setup: a held push asks every
// tick, and the local time and the windows' parsing cost more than a tick
// should spend on waiting.
bool Pusher::window_open(std::uint8_t index) {
  const auto utc_s = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  const auto second = static_cast<std::uint32_t>(utc_s);
  const auto bit = static_cast<std::uint8_t>(1u << index);
  if (second != window_second_) {
    window_second_ = second;
    windows_known_ = 0;
  }
  if ((windows_known_ & bit) == 0) {
    const bool open = cosem::push_window_open(model_, model_.push_setups[index].object, objects_.local_time(utc_s));
    windows_known_ = static_cast<std::uint8_t>(windows_known_ | bit);
    windows_open_ = static_cast<std::uint8_t>(open ? windows_open_ | bit : windows_open_ & ~bit);
  }
  return (windows_open_ & bit) != 0;
}

void Pusher::start(std::uint8_t index) {
  Job& job = jobs_[index];
  ++job.attempts;
  cosem::PushSettings s{};
  if (!cosem::push_settings(model_, model_.push_setups[index].object, s) ||
      !cosem::valid_push_destination(s.destination, s.destination_size)) {
    job.pending = false;
    log_attempt(index, "not sent: no valid destination");
    return;
  }
  if (!build_frame(index)) {
    job.pending = false;
    log_attempt(index, "not sent: the notification could not be encoded or protected");
    return;
  }
  active_ = index;
  started_ms_ = hal_.ticks_ms();
  if (!hal_.push_open(s.destination, s.destination_size)) finish(false);
}

void Pusher::finish(bool sent) {
  const auto index = static_cast<std::uint8_t>(active_);
  hal_.push_close();
  active_ = -1;
  Job& job = jobs_[index];
  if (sent) {
    ++sent_;
    job.pending = false;
    log_attempt(index, "sent", static_cast<std::uint32_t>(frame_size_), " bytes");
    return;
  }
  ++failed_attempts_;
  cosem::PushSettings s{};
  const bool known = cosem::push_settings(model_, model_.push_setups[index].object, s);
  if (!known || job.attempts > s.retries) {
    job.pending = false;
    log_attempt(index, "failed; giving up");
    return;
  }
  job.due_ms = hal_.ticks_ms() + static_cast<std::uint32_t>(s.repetition_delay_s) * 1000u;
  log_attempt(index, "failed; retrying in", s.repetition_delay_s, " s");
}

std::size_t Pusher::encode_notification(std::uint8_t index, const axdr::DateTime* time, std::uint32_t invoke_id,
                                        std::uint8_t* out, std::size_t cap) {
  const std::uint16_t object = model_.push_setups[index].object;
  cosem::PushSettings s{};
  if (!cosem::push_settings(model_, object, s)) return 0;
  ByteWriter w(out, cap);
  put_header(w, invoke_id & kInvokeIdMask, time);
  axdr::put_structure(w, s.object_count);
  for (std::uint32_t i = 0; i < s.object_count; ++i) {
    std::uint16_t target = tables::kNone;
    std::int8_t attribute = 0;
    const std::size_t at = w.position();
    // A value that cannot be read (an object gone, an attribute not served) is null-data.
    if (!cosem::push_entry(model_, object, i, target, attribute) ||
        objects_.read(target, attribute, w) != dlms::DataAccessResult::success) {
      w.truncate(at);
      axdr::put_null(w);
    }
  }
  return w.overflow() ? 0 : w.size();
}

bool Pusher::build_frame(std::uint8_t index) {
  const tables::PushSetupDef& p = model_.push_setups[index];
  axdr::DateTime now = objects_.local_time(static_cast<std::int64_t>(hal_.utc_ms() / 1000));
  if (!hal_.clock_valid()) now.status |= axdr::kStatusInvalid;
  invoke_id_ = (invoke_id_ + 1) & kInvokeIdMask;
  // The plain notification goes where a ciphered one leaves it room for its
  // general-glo header, and is ciphered (or moved) to the APDU's place.
  std::uint8_t* apdu = frame_ + wrapper::kHeaderSize;
  std::uint8_t* plain_at = apdu + security::kGeneralGloHeaderRoom;
  const std::size_t plain = encode_notification(index, &now, invoke_id_, plain_at, kMaxApdu);
  if (plain == 0) return false;
  const std::size_t cap = tables::kPushFrameBytes - wrapper::kHeaderSize;
  std::size_t n = plain;
  if (p.association == tables::kNone) copy_bytes(apdu, plain_at, plain);
  else if (!protect(p, plain_at, plain, apdu, cap, n)) return false;
  ByteWriter header(frame_, wrapper::kHeaderSize);
  wrapper::encode_header(header, {wrapper::kVersion, kSourceWport, p.client_sap, static_cast<std::uint16_t>(n)});
  frame_size_ = wrapper::kHeaderSize + n;
  return true;
}

// general-glo-ciphering with the association's keys, the server system title
// and its next server frame counter; plain when its policy protects no response.
bool Pusher::protect(const tables::PushSetupDef& p, const std::uint8_t* plain_at, std::size_t plain,
                     std::uint8_t* out, std::size_t cap, std::size_t& n) {
  if (p.association >= model_.association_count) return false;
  const std::uint8_t sc = response_sc(model_.associations[p.association]);
  if (sc == 0) {
    copy_bytes(out, plain_at, plain);
    n = plain;
    return true;
  }
  security::Keys keys{};
  std::uint8_t title[security::kSystemTitleSize];
  const auto a = static_cast<std::uint8_t>(p.association);
  if (hal_.secret(a, hal::Secret::encryption_key, keys.ek, sizeof keys.ek) != sizeof keys.ek ||
      hal_.secret(a, hal::Secret::authentication_key, keys.ak, sizeof keys.ak) != sizeof keys.ak ||
      hal_.secret(a, hal::Secret::server_system_title, title, sizeof title) != sizeof title)
    return false;
  const std::uint32_t ic = counters_.next_server_counter(p.association);
  if (ic == 0) return false;
  ByteWriter w(out, cap);
  const bool ok = security::protect_general_glo(w, sc, keys, title, ic, plain_at, plain);
  crypto::wipe(keys.ek, sizeof keys.ek);
  crypto::wipe(keys.ak, sizeof keys.ak);
  n = w.size();
  return ok && !w.overflow();
}

void Pusher::log_attempt(std::uint8_t index, const char* outcome, std::uint32_t number, const char* tail) {
  const tables::PushSetupDef& p = model_.push_setups[index];
  cosem::PushSettings s{};
  LogLine line;
  line.text("push ").obis(model_.objects[p.object].ln).text(": attempt ").number(jobs_[index].attempts);
  if (cosem::push_settings(model_, p.object, s)) line.text(" to ").bytes(s.destination, s.destination_size);
  line.text(" (wPort ").number(p.client_sap).text(") ").text(outcome);
  if (tail != nullptr) line.text(" ").number(number).text(tail);
  hal_.log(line.c_str());
}

}  // namespace metergen::push

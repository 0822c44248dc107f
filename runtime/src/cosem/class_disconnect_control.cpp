// Disconnect control (class_id 70): 2 output_state, 3 control_state, 4
// control_mode; methods 1 remote_disconnect, 2 remote_reconnect; the local
// triggers of Objects. Transitions a..h and the modes that allow them follow
// the derived event table of disconnect-control.md §5; every transition is
// reported by Hooks::control_state_changed with its cause. A local trigger the
// model does not list (DisconnectDef::local_triggers) is inhibited. State bytes:
// output_state (0/1) | control_state (0..2) | control_mode (0..6).
//
// A remote command that changes nothing because the object is already where it
// would lead (disconnect when disconnected, reconnect when connected or ready)
// succeeds; in mode 0 (always connected) remote commands answer other_reason.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

enum class Trigger : std::uint8_t { remote_disconnect, remote_reconnect, manual_disconnect, manual_reconnect,
                                    local_disconnect, local_reconnect };
constexpr std::uint8_t kReady = kReadyForReconnection;

struct Transition {
  std::uint8_t from;
  Trigger trigger;
  std::uint8_t to;
  std::uint8_t modes;  // bit n = allowed in control_mode n
};

constexpr Transition kTransitions[] = {
    {kConnected, Trigger::remote_disconnect, kDisconnected, 0x7E},  // b
    {kConnected, Trigger::manual_disconnect, kReady, 0x26},         // f: modes 1, 2, 5
    {kConnected, Trigger::local_disconnect, kReady, 0x7E},          // g
    {kDisconnected, Trigger::remote_reconnect, kConnected, 0x14},   // a: modes 2, 4
    {kDisconnected, Trigger::remote_reconnect, kReady, 0x6A},       // d: modes 1, 3, 5, 6
    {kReady, Trigger::remote_disconnect, kDisconnected, 0x7E},      // c
    {kReady, Trigger::manual_reconnect, kConnected, 0x7E},          // e
    {kReady, Trigger::local_reconnect, kConnected, 0x60},           // h: modes 5, 6
};

std::uint8_t* disconnector_state(const tables::Model& m) {
  if (m.disconnect == nullptr || m.disconnect->object >= m.object_count) return nullptr;
  const tables::ObjectDef& d = m.objects[m.disconnect->object];
  return d.class_id == 70 && d.state_offset != tables::kNoState ? m.state + d.state_offset : nullptr;
}

// Applies `trigger` when the control mode allows it; false otherwise.
bool apply(std::uint8_t* s, Hooks& hooks, Trigger trigger, RelayCause cause) {
  if (s == nullptr || s[2] > 7) return false;
  for (const Transition& t : kTransitions) {
    if (t.from != s[1] || t.trigger != trigger || (t.modes & (1u << s[2])) == 0) continue;
    s[1] = t.to;
    const std::uint8_t output = t.to == kConnected ? 1 : 0;
    if (output != s[0]) {
      s[0] = output;
      hooks.relay_changed(output != 0);
    }
    hooks.control_state_changed(t.from, t.to, cause);
    return true;
  }
  return false;
}

bool trigger_listed(const tables::Model& m, tables::LocalTrigger trigger) {
  return m.disconnect != nullptr && (m.disconnect->local_triggers >> static_cast<unsigned>(trigger) & 1u) != 0;
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr) return DataAccessResult::object_unavailable;
  switch (attribute) {
    case 2: axdr::put_boolean(out, s[0] != 0); break;
    case 3: axdr::put_enum(out, s[1]); break;
    case 4: axdr::put_enum(out, s[2]); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr || attribute < 2 || attribute > 4) return DataAccessResult::object_unavailable;
  if (attribute != 4) return DataAccessResult::read_write_denied;
  if (value.remaining() != 2 || value.u8() != static_cast<std::uint8_t>(tables::DataType::enum_))
    return DataAccessResult::type_unmatched;
  const std::uint8_t mode = value.u8();
  const std::uint8_t supported = c.model.disconnect != nullptr ? c.model.disconnect->supported_modes : 0;
  if (mode > 7 || (supported & (1u << mode)) == 0) return DataAccessResult::other_reason;
  s[2] = mode;
  return DataAccessResult::success;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  std::uint8_t* s = c.state();
  if (s == nullptr || (method != 1 && method != 2)) return ActionResult::object_unavailable;
  if (!is_zero_parameter(params)) return ActionResult::type_unmatched;
  if (s[2] == 0) return ActionResult::other_reason;
  const Trigger trigger = method == 1 ? Trigger::remote_disconnect : Trigger::remote_reconnect;
  if (apply(s, c.hooks, trigger, RelayCause::remote())) return ActionResult::success;
  const bool already_there = method == 1 ? s[1] == kDisconnected : s[1] != kDisconnected;
  return already_there ? ActionResult::success : ActionResult::other_reason;
}

std::uint32_t state_bytes(std::uint16_t) { return 3; }

// Connected, in the model's default control mode.
void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  s[0] = kConnected;  // output_state
  s[1] = kConnected;  // control_state
  s[2] = m.disconnect != nullptr && m.disconnect->object == index ? m.disconnect->default_mode : 0;
}

}  // namespace

bool Objects::manual_disconnect() {
  return apply(disconnector_state(model_), hooks_, Trigger::manual_disconnect, RelayCause::manual());
}
bool Objects::manual_reconnect() {
  return apply(disconnector_state(model_), hooks_, Trigger::manual_reconnect, RelayCause::manual());
}
bool Objects::local_disconnect(tables::LocalTrigger trigger) {
  return trigger_listed(model_, trigger) &&
         apply(disconnector_state(model_), hooks_, Trigger::local_disconnect, RelayCause::local(trigger));
}
bool Objects::local_reconnect(tables::LocalTrigger trigger) {
  return trigger_listed(model_, trigger) &&
         apply(disconnector_state(model_), hooks_, Trigger::local_reconnect, RelayCause::local(trigger));
}
std::uint8_t Objects::control_state() const {
  const std::uint8_t* s = disconnector_state(model_);
  return s != nullptr ? s[1] : kConnected;
}

const ClassHandler kDisconnectControlClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                           .default_state = default_state};

}  // namespace metergen::cosem

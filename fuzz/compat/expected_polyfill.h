// Fuzz builds only: a minimal std::expected for clang 14, which cannot compile libstdc++ 12's
// <expected> (it needs conditionally trivial destructors, P0848, from clang 16). Force-included
// with -include before any other header; libstdc++'s own <expected> then stays disabled because
// clang 14 reports __cpp_concepts < 202002. Covers what iamd uses: construction from a value or
// std::unexpected, has_value/operator bool, operator*/->, value(), error(), expected<void, E>.
#pragma once

#if defined(__clang__) && __clang_major__ < 16 && defined(__cplusplus)

#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace std {

template <typename E>
class unexpected {
 public:
  template <typename... A>
  constexpr explicit unexpected(in_place_t, A&&... a) : e_(std::forward<A>(a)...) {}
  constexpr explicit unexpected(E e) : e_(std::move(e)) {}
  constexpr E& error() & { return e_; }
  constexpr const E& error() const& { return e_; }
  constexpr E&& error() && { return std::move(e_); }

 private:
  E e_;
};
template <typename E>
unexpected(E) -> unexpected<E>;

template <typename T, typename E>
class expected {
 public:
  using value_type = T;
  using error_type = E;
  template <typename U = T,
            typename = enable_if_t<is_constructible_v<T, U&&> &&
                                   !is_same_v<remove_cvref_t<U>, expected> &&
                                   !is_same_v<remove_cvref_t<U>, unexpected<E>>>>
  constexpr expected(U&& v) : v_(in_place_index<0>, std::forward<U>(v)) {}
  template <typename G>
  constexpr expected(unexpected<G> u) : v_(in_place_index<1>, std::move(u).error()) {}
  constexpr bool has_value() const { return v_.index() == 0; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr T& operator*() & { return std::get<0>(v_); }
  constexpr const T& operator*() const& { return std::get<0>(v_); }
  constexpr T&& operator*() && { return std::get<0>(std::move(v_)); }
  constexpr T* operator->() { return &std::get<0>(v_); }
  constexpr const T* operator->() const { return &std::get<0>(v_); }
  constexpr T& value() & { return std::get<0>(v_); }
  constexpr const T& value() const& { return std::get<0>(v_); }
  constexpr E& error() & { return std::get<1>(v_); }
  constexpr const E& error() const& { return std::get<1>(v_); }
  constexpr E&& error() && { return std::get<1>(std::move(v_)); }

 private:
  variant<T, E> v_;
};

template <typename E>
class expected<void, E> {
 public:
  using value_type = void;
  using error_type = E;
  constexpr expected() = default;
  template <typename G>
  constexpr expected(unexpected<G> u) : has_(false), e_(std::move(u).error()) {}
  constexpr bool has_value() const { return has_; }
  constexpr explicit operator bool() const { return has_; }
  constexpr void value() const {}
  constexpr E& error() & { return *e_; }
  constexpr const E& error() const& { return *e_; }
  constexpr E&& error() && { return std::move(*e_); }

 private:
  bool has_ = true;
  std::optional<E> e_;
};

}  // namespace std

#include <optional>

#endif

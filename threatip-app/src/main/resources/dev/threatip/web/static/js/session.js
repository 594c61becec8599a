// The admin token. sessionStorage, not localStorage: the token is an admin credential, so it
// lives only as long as the tab — not shared with other tabs, not left behind on a shared
// machine once the tab closes. The price is one paste per tab. When storage is unavailable
// (disabled by policy) the token is kept in memory for the page's life.

const KEY = 'threatip.token';
let memory = null;

/** The token to send, or null when signed out. */
export function current() {
  try {
    return sessionStorage.getItem(KEY) || memory;
  } catch (e) {
    return memory;
  }
}

export function signIn(value) {
  memory = value;
  try {
    sessionStorage.setItem(KEY, value);
  } catch (e) {
    // storage disabled: memory holds it
  }
}

export function signOut() {
  memory = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch (e) {
    // storage disabled: nothing stored
  }
}

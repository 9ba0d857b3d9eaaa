//! The live notification stream (server-sent events). The browser's EventSource reconnects by
//! itself after a dropped connection and sends `Last-Event-ID`; when it gives up (the server
//! answered with an error), this module opens a new one after a growing pause, resuming from the
//! last id it saw.

use market_domain::notify::{PushedHeadline, UnreadCount};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

/// A DOM event callback kept alive for as long as the stream.
type Listener = Closure<dyn FnMut(web_sys::Event)>;

const PATH: &str = "/api/notifications/stream";
const MAX_BACKOFF_MS: i32 = 30_000;

/// What the stream reports to its owner.
pub enum StreamEvent {
    Unread(i64),
    Notification(PushedHeadline),
    Connected,
    Disconnected,
}

struct Inner {
    source: RefCell<Option<EventSource>>,
    last_id: Cell<Option<i64>>,
    backoff_ms: Cell<i32>,
    stopped: Cell<bool>,
    on_event: Box<dyn Fn(StreamEvent)>,
    // Kept alive as long as the stream; dropped with it.
    closures: RefCell<Vec<Listener>>,
    retry: RefCell<Option<Closure<dyn FnMut()>>>,
}

/// An open notification stream; dropping it closes the connection.
pub struct NotificationStream(Rc<Inner>);

impl NotificationStream {
    pub fn open(on_event: impl Fn(StreamEvent) + 'static) -> NotificationStream {
        let inner = Rc::new(Inner {
            source: RefCell::new(None),
            last_id: Cell::new(None),
            backoff_ms: Cell::new(1_000),
            stopped: Cell::new(false),
            on_event: Box::new(on_event),
            closures: RefCell::new(Vec::new()),
            retry: RefCell::new(None),
        });
        connect(&inner);
        NotificationStream(inner)
    }
}

impl Drop for NotificationStream {
    fn drop(&mut self) {
        self.0.stopped.set(true);
        if let Some(source) = self.0.source.borrow_mut().take() {
            source.close();
        }
    }
}

fn connect(inner: &Rc<Inner>) {
    if inner.stopped.get() {
        return;
    }
    let url = match inner.last_id.get() {
        Some(id) => format!("{PATH}?after={id}"),
        None => PATH.to_owned(),
    };
    let Ok(source) = EventSource::new(&url) else {
        schedule_reconnect(inner);
        return;
    };
    let mut closures = Vec::new();

    let weak = Rc::downgrade(inner);
    let on_open = Listener::new(move |_| {
        if let Some(inner) = weak.upgrade() {
            inner.backoff_ms.set(1_000);
            (inner.on_event)(StreamEvent::Connected);
        }
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    closures.push(on_open);

    let weak = Rc::downgrade(inner);
    let on_unread = Listener::new(move |event: web_sys::Event| {
        let Some(inner) = weak.upgrade() else { return };
        let data = event.unchecked_into::<MessageEvent>().data().as_string();
        if let Some(count) = data.and_then(|d| serde_json::from_str::<UnreadCount>(&d).ok()) {
            (inner.on_event)(StreamEvent::Unread(count.unread));
        }
    });
    let _ = source.add_event_listener_with_callback("unread", on_unread.as_ref().unchecked_ref());
    closures.push(on_unread);

    let weak = Rc::downgrade(inner);
    let on_notification = Listener::new(move |event: web_sys::Event| {
        let Some(inner) = weak.upgrade() else { return };
        let data = event.unchecked_into::<MessageEvent>().data().as_string();
        if let Some(pushed) = data.and_then(|d| serde_json::from_str::<PushedHeadline>(&d).ok()) {
            inner.last_id.set(Some(pushed.notification.id));
            (inner.on_event)(StreamEvent::Notification(pushed));
        }
    });
    let _ = source
        .add_event_listener_with_callback("notification", on_notification.as_ref().unchecked_ref());
    closures.push(on_notification);

    let weak = Rc::downgrade(inner);
    let on_error = Listener::new(move |_| {
        let Some(inner) = weak.upgrade() else { return };
        (inner.on_event)(StreamEvent::Disconnected);
        let closed = inner
            .source
            .borrow()
            .as_ref()
            .is_some_and(|s| s.ready_state() == EventSource::CLOSED);
        // CONNECTING means the browser is already retrying on its own.
        if closed {
            schedule_reconnect(&inner);
        }
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    closures.push(on_error);

    if let Some(old) = inner.source.borrow_mut().replace(source) {
        old.close();
    }
    *inner.closures.borrow_mut() = closures;
}

fn schedule_reconnect(inner: &Rc<Inner>) {
    if inner.stopped.get() {
        return;
    }
    let delay = inner.backoff_ms.get();
    inner.backoff_ms.set((delay * 2).min(MAX_BACKOFF_MS));
    let weak = Rc::downgrade(inner);
    let retry = Closure::<dyn FnMut()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            connect(&inner);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            retry.as_ref().unchecked_ref(),
            delay,
        );
    }
    *inner.retry.borrow_mut() = Some(retry);
}

// The only script of the UI; every page also works without it.
(() => {
    // Tell the server the browser's time zone once, so it can show times in it (see UserClock).
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.split('; ').includes('ims-tz=' + zone)) {
        document.cookie = 'ims-tz=' + zone + '; path=/; max-age=31536000; samesite=lax';
    }

    // The answer to a form post (App.razor marks it): reloading it must not post the form again.
    if (document.body.hasAttribute('data-form-response')) {
        history.replaceState(history.state, '', location.href);
    }

    // Copy buttons: <button data-copy="element-id" data-copied="Copied">.
    document.addEventListener('click', event => {
        const button = event.target.closest('button[data-copy]');
        const source = button && document.getElementById(button.dataset.copy);
        if (!source || !navigator.clipboard) return;
        navigator.clipboard.writeText(source.textContent.trim()).then(() => {
            button.textContent = button.dataset.copied || button.textContent;
        });
    });
})();

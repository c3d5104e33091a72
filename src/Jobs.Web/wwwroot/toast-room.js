// Toasts stack along the bottom edge of the screen (app.css). This keeps room of their height below the page
// (--toast-room), so that the page's last controls can always be scrolled out from under them.
(() => {
    const watch = () => {
        const container = document.getElementById('mud-snackbar-container');
        if (!container) {
            setTimeout(watch, 500); // The interactive page renders it a moment after the document loads.
            return;
        }

        new ResizeObserver(() => {
            const height = container.getBoundingClientRect().height;
            document.body.style.setProperty('--toast-room', height > 0 ? `${Math.ceil(height) + 16}px` : '0px');
        }).observe(container);
    };
    watch();
})();

using MudBlazor;

namespace Jobs.Web.Components.Layout;

/// <summary>The one theme, shared by the app's layout and the sign-in page's.</summary>
public static class JobsTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#1d2330",
            Background = "#f5f6fa",
            DrawerBackground = "#ffffff",
        },
        Typography = new Typography
        {
            // No web fonts: the machines that run this may reach no font CDN, and the system stack reads well.
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}

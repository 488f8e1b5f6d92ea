package latte.envs;

/** dm_control's material colours (suite/common/materials.xml), packed RGB. */
final class Palette {
    static final int SELF = Canvas.rgb(0.7, 0.5, 0.3);
    static final int EFFECTOR = Canvas.rgb(0.7, 0.4, 0.2);
    static final int DECORATION = Canvas.rgb(0.3, 0.5, 0.7);
    static final int TARGET = Canvas.rgb(0.6, 0.3, 0.3);
    static final int DARK = Canvas.rgb(0.15, 0.15, 0.15);
    static final int LIGHT = Canvas.rgb(0.9, 0.9, 0.9);

    private Palette() {}
}

"""Test game that redraws with dirty rectangles: a 4×4 dot walks right along y=20, one step
per frame, and only its old and new spots are passed to pygame.display.update()."""

import pygame


def main():
    pygame.init()
    screen = pygame.display.set_mode((120, 40))
    screen.fill((0, 0, 80))
    pygame.display.flip()
    clock = pygame.time.Clock()
    x = 0
    running = True
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (
                event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            ):
                running = False
        old = pygame.Rect(x, 20, 4, 4)
        x = (x + 4) % 120
        new = pygame.Rect(x, 20, 4, 4)
        screen.fill((0, 0, 80), old)
        screen.fill((255, 128, 0), new)
        pygame.display.update([old, new])
        clock.tick(60)
    pygame.quit()


if __name__ == "__main__":
    main()

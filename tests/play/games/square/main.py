"""Test game for the player: every pixel is predictable.

200×150, black. A white 10×10 square starts at (50, 50); each arrow KEYDOWN moves it 10 px.
While Space is held (seen through pygame.key.get_pressed()) a red 10×10 block shows at (0, 0).
A click (MOUSEBUTTONDOWN) leaves a blue 6×6 block centred on it; while the left button is held
(pygame.mouse.get_pressed()) a magenta block shows at (190, 0); pygame.mouse.get_pos() is drawn
as a yellow pixel. A TEXTINPUT 'g' turns a green block on at (0, 140). 'c' crashes on purpose.
It prints every frame, which must not reach the frame channel.
"""

import pygame


def main():
    pygame.init()
    screen = pygame.display.set_mode((200, 150))
    clock = pygame.time.Clock()
    x, y = 50, 50
    clicks = []
    green = False
    running = True
    frame = 0
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
            elif event.type == pygame.KEYDOWN:
                if event.key == pygame.K_ESCAPE:
                    running = False
                elif event.key == pygame.K_LEFT:
                    x -= 10
                elif event.key == pygame.K_RIGHT:
                    x += 10
                elif event.key == pygame.K_UP:
                    y -= 10
                elif event.key == pygame.K_DOWN:
                    y += 10
                elif event.key == pygame.K_c:
                    print(1 / 0)
            elif event.type == pygame.TEXTINPUT and event.text == "g":
                green = True
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                clicks.append(event.pos)
        screen.fill((0, 0, 0))
        pygame.draw.rect(screen, (255, 255, 255), (x, y, 10, 10))
        if pygame.key.get_pressed()[pygame.K_SPACE]:
            pygame.draw.rect(screen, (255, 0, 0), (0, 0, 10, 10))
        if pygame.mouse.get_pressed()[0]:
            pygame.draw.rect(screen, (255, 0, 255), (190, 0, 10, 10))
        for cx, cy in clicks:
            pygame.draw.rect(screen, (0, 0, 255), (cx - 3, cy - 3, 6, 6))
        if green:
            pygame.draw.rect(screen, (0, 255, 0), (0, 140, 10, 10))
        screen.set_at(pygame.mouse.get_pos(), (255, 255, 0))
        print("frame", frame)
        frame += 1
        pygame.display.flip()
        clock.tick(30)
    pygame.quit()


if __name__ == "__main__":
    main()
